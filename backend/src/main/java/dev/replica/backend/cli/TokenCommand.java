package dev.replica.backend.cli;

import dev.replica.backend.auth.ApiToken;
import dev.replica.backend.auth.TokenService;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Manage API tokens for server mode (only their SHA-256 is stored).",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
public class TokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token and print it once.")
    public static class Create implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "a name to recognise the token by")
        String name;

        @Option(names = "--scope", defaultValue = "WRITE", description = "READ or WRITE (default: ${DEFAULT-VALUE})")
        ApiToken.Scope scope;

        @Spec
        CommandSpec spec;

        @Inject
        TokenService tokens;

        @Override
        public Integer call() {
            try {
                TokenService.NewToken t = tokens.create(name, scope);
                PrintWriter out = spec.commandLine().getOut();
                out.println(t.token());
                out.flush();
                spec.commandLine()
                        .getErr()
                        .println(
                                "Created " + scope + " token \"" + name + "\". It is shown only now: store it safely.");
                spec.commandLine().getErr().flush();
                return 0;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never their secrets).")
    public static class ListTokens implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Inject
        TokenService tokens;

        @Override
        public Integer call() {
            TextTable table = new TextTable("NAME", "SCOPE", "CREATED", "LAST USED", "REVOKED");
            tokens.list()
                    .forEach(t -> table.row(
                            t.name(),
                            t.scope(),
                            LsCommand.TIME.format(t.createdAt()),
                            t.lastUsedAt() == null ? "never" : LsCommand.TIME.format(t.lastUsedAt()),
                            t.revokedAt() == null ? "" : LsCommand.TIME.format(t.revokedAt())));
            table.print(spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by name.")
    public static class Revoke implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Spec
        CommandSpec spec;

        @Inject
        TokenService tokens;

        @Override
        public Integer call() {
            if (!tokens.revoke(name)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no active token named " + name);
            }
            spec.commandLine().getOut().println("Revoked " + name + ".");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
