package dev.replica.backend.config;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * The read model's jOOQ context on the application's datasource. Names render unquoted so the same
 * generated classes match H2 (which folds unquoted names to upper case) and PostgreSQL (lower case).
 */
@ApplicationScoped
public class JooqProducer {

    @Produces
    @ApplicationScoped
    DSLContext dsl(AgroalDataSource dataSource, @ConfigProperty(name = "quarkus.datasource.db-kind") String dbKind) {
        Settings settings = new Settings()
                .withRenderQuotedNames(RenderQuotedNames.NEVER)
                .withRenderSchema(false)
                .withExecuteLogging(false);
        return DSL.using(dataSource, dialectOf(dbKind), settings);
    }

    static SQLDialect dialectOf(String dbKind) {
        return switch (dbKind) {
            case "postgresql", "postgres", "pgsql" -> SQLDialect.POSTGRES;
            case "h2" -> SQLDialect.H2;
            default ->
                throw new IllegalStateException("unsupported database kind " + dbKind + " (use h2 or postgresql)");
        };
    }
}
