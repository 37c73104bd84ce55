package dev.replica.backend.experiment;

import dev.replica.backend.profiles.PostgresProfile;
import dev.replica.backend.profiles.RequirePostgres;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.extension.ExtendWith;

@QuarkusTest
@TestProfile(PostgresProfile.class)
@ExtendWith(RequirePostgres.class)
class ExperimentDeletionApiPostgresTest extends ExperimentDeletionApiContract {}
