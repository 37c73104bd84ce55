package dev.replica.backend.compare;

import dev.replica.backend.profiles.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class ComparisonAgreementPostgresTest extends ComparisonAgreementContract {}
