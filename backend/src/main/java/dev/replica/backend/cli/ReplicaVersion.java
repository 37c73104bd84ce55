package dev.replica.backend.cli;

import org.eclipse.microprofile.config.ConfigProvider;
import picocli.CommandLine.IVersionProvider;

/** {@code replica --version}: application version, JVM and database kind. */
public class ReplicaVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        var config = ConfigProvider.getConfig();
        return new String[] {
            "replica "
                    + config.getOptionalValue("quarkus.application.version", String.class)
                            .orElse("dev"),
            "JVM " + System.getProperty("java.vm.name") + " " + Runtime.version() + ", database "
                    + config.getOptionalValue("quarkus.datasource.db-kind", String.class)
                            .orElse("?")
        };
    }
}
