package dev.replica.backend.experiment;

import dev.replica.backend.profiles.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class ExperimentApiPostgresTest extends ExperimentApiContract {}
