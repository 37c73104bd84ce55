package dev.replica.backend.cli;

import dev.replica.kernels.BackendProbe;
import dev.replica.kernels.KernelBackends;
import dev.replica.kernels.KernelDevice;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "devices",
        mixinStandardHelpOptions = true,
        description = {
            "List the compute backends and devices this machine offers, and which one runs use.",
            "Choose with -Dreplica.kernels.backend=auto|jvm|opencl|tornadovm (or REPLICA_KERNELS_BACKEND)."
        })
public class DevicesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TextTable backends = new TextTable("BACKEND", "AVAILABLE", "ACCELERATED", "NOTE");
        for (BackendProbe p : KernelBackends.probes()) {
            backends.row(p.name(), p.available() ? "yes" : "no", p.accelerated() ? "yes" : "no", p.message());
        }
        backends.print(out);
        out.println();
        TextTable devices = new TextTable("BACKEND", "DEVICE", "NAME", "TYPE", "MEMORY", "DRIVER", "ACCELERATOR");
        for (KernelDevice d : KernelBackends.devices()) {
            devices.row(
                    d.backend(),
                    d.id(),
                    d.name(),
                    d.type(),
                    d.memoryBytes() > 0 ? String.format("%.1f GiB", d.memoryBytes() / (double) (1L << 30)) : "-",
                    d.driver(),
                    d.accelerator() ? "yes" : d.emulated() ? "no (emulated)" : "no");
        }
        devices.print(out);
        out.println();
        KernelBackends.Selection selection = KernelBackends.selectConfigured();
        out.println("Runs use: " + selection.summary());
        selection.notes().forEach(n -> out.println("  note: " + n));
        out.flush();
        return 0;
    }
}
