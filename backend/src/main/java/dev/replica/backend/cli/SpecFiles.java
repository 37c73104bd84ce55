package dev.replica.backend.cli;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine;

/** Reads a spec file for the CLI, turning I/O problems into messages that name the file. */
final class SpecFiles {

    private SpecFiles() {}

    static String read(CommandLine cmd, Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new CommandLine.ParameterException(
                        cmd, file + " is a directory; give a spec file such as experiments/specs/quickstart.yaml");
            }
            if (Files.size(file) > dev.replica.experiments.spec.SpecParser.MAX_SPEC_CHARS) {
                throw new CommandLine.ParameterException(cmd, file + " is larger than the 1 MiB spec limit");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CommandLine.ParameterException(cmd, "cannot read " + file + ": no such file");
        } catch (MalformedInputException e) {
            throw new CommandLine.ParameterException(cmd, "cannot read " + file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new CommandLine.ParameterException(cmd, "cannot read " + file + ": " + e.getMessage());
        }
    }
}
