package dev.replica.backend.experiment;

import dev.replica.backend.profiles.H2Profile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(H2Profile.class)
class ExperimentDeletionApiH2Test extends ExperimentDeletionApiContract {}
