package dev.replica.backend.mlflow;

import dev.replica.backend.profiles.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class MlflowApiPostgresTest extends MlflowApiContract {}
