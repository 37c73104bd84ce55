package dev.replica.backend.label;

import dev.replica.backend.profiles.H2Profile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(H2Profile.class)
class LabelApiH2Test extends LabelApiContract {}
