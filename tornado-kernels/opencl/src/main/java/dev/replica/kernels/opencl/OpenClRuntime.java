package dev.replica.kernels.opencl;

import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.CL_TRUE;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;
import org.jocl.cl_queue_properties;

/**
 * One OpenCL device opened for work: context, in-order command queue, the compiled programs
 * (each {@code .cl} file is built once per runtime and cached, because PoCL's compiler is slow)
 * and a small set of reusable device buffers.
 *
 * <p>{@link #shared()} returns the JVM-wide runtime for the configured device; all ops on it are
 * serialized on the runtime's lock ({@link #lock()}), since kernel arguments and scratch
 * buffers are shared state.
 *
 * <p>Kernel variants: {@link Variant#CPU} selects register-blocked kernels without local memory,
 * {@link Variant#GPU} local-memory tiles and work-group reductions. The variant belongs to the
 * {@link OpenClBackend}; a runtime builds a program once per variant that it is asked for
 * ({@link #kernel(String, String, Variant)}) and once for all variants otherwise. The default
 * follows the device type; the system property {@value #VARIANT_PROPERTY} ({@code cpu|gpu})
 * overrides it, which is how the GPU kernels are tested on PoCL.
 */
public final class OpenClRuntime implements AutoCloseable {
    /** Overrides the kernel variant: {@code auto} (default), {@code cpu} or {@code gpu}. */
    public static final String VARIANT_PROPERTY = "replica.kernels.opencl.variant";

    /** Which family of kernels to run. */
    public enum Variant {
        CPU,
        GPU
    }

    private static final Map<String, OpenClRuntime> SHARED = new ConcurrentHashMap<>();

    private final OpenClDeviceInfo info;
    private final cl_context context;
    private final cl_command_queue queue;
    private final cl_device_id device;
    private final Map<String, cl_program> programs = new HashMap<>();
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    private final List<Scratch> scratch = new ArrayList<>();
    private final Object lock = new Object();
    private boolean closed;

    private OpenClRuntime(OpenClDeviceInfo info) {
        this.info = info;
        CL.setExceptionsEnabled(true);
        cl_platform_id platform = OpenClDevices.platformHandle(info);
        this.device = OpenClDevices.deviceHandle(platform, info);
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL.CL_CONTEXT_PLATFORM, platform);
        this.context = CL.clCreateContext(props, 1, new cl_device_id[] {device}, null, null, null);
        this.queue = info.deviceVersion().startsWith("OpenCL 1.")
                ? createLegacyQueue(context, device)
                : CL.clCreateCommandQueueWithProperties(context, device, new cl_queue_properties(), null);
    }

    @SuppressWarnings("deprecation")
    private static cl_command_queue createLegacyQueue(cl_context context, cl_device_id device) {
        // OpenCL 1.x platforms (older drivers) lack clCreateCommandQueueWithProperties.
        return CL.clCreateCommandQueue(context, device, 0, null);
    }

    /**
     * Opens {@code info} in a new context. Prefer {@link #shared()}: every runtime compiles its
     * own programs.
     */
    public static OpenClRuntime open(OpenClDeviceInfo info) {
        return new OpenClRuntime(info);
    }

    /**
     * The JVM-wide runtime for the device selected by {@link OpenClDevices#configuredSelector()},
     * created on first use.
     *
     * @throws OpenClException when libOpenCL cannot be loaded, there is no platform or the
     *     selector matches nothing; the message says which
     */
    public static OpenClRuntime shared() {
        String selector = OpenClDevices.configuredSelector();
        synchronized (SHARED) {
            OpenClRuntime runtime = SHARED.get(selector);
            if (runtime == null || runtime.closed) {
                try {
                    runtime = new OpenClRuntime(OpenClDevices.select(OpenClDevices.discover(), selector));
                } catch (LinkageError e) {
                    throw new OpenClException(OpenClProbe.loadFailure(e), e);
                }
                SHARED.put(selector, runtime);
            }
            return runtime;
        }
    }

    /** The variant {@value #VARIANT_PROPERTY} asks for, else the one the device type calls for. */
    public Variant defaultVariant() {
        String name = System.getProperty(VARIANT_PROPERTY, "auto");
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "cpu" -> Variant.CPU;
            case "gpu" -> Variant.GPU;
            case "auto", "" -> info.type() == OpenClDeviceInfo.Type.CPU ? Variant.CPU : Variant.GPU;
            default ->
                throw new OpenClException(
                        "unknown " + VARIANT_PROPERTY + " '" + name + "' (expected auto, cpu or gpu)");
        };
    }

    public OpenClDeviceInfo info() {
        return info;
    }

    /** The lock every op holds while it sets kernel arguments and uses scratch buffers. */
    public Object lock() {
        return lock;
    }

    /**
     * The kernel {@code name} from resource {@code program}.cl (next to this class, after
     * {@code common.cl}), building the program on first use.
     *
     * @throws OpenClException when the program does not compile; the message carries the build log
     */
    public cl_kernel kernel(String program, String name) {
        return kernel(program, name, null);
    }

    /**
     * As {@link #kernel(String, String)} from the build of {@code program} with
     * {@code -D VARIANT_CPU} or {@code -D VARIANT_GPU}, for programs whose code differs by variant.
     */
    public cl_kernel kernel(String program, String name, Variant variant) {
        String build = variant == null ? program : program + "@" + variant.name();
        String key = build + "#" + name;
        cl_kernel k = kernels.get(key);
        if (k == null) {
            cl_program p = programs.get(build);
            if (p == null) {
                String options = "-cl-mad-enable" + (variant == null ? "" : " -D VARIANT_" + variant.name());
                p = build(build, readSource("common.cl") + "\n" + readSource(program + ".cl"), options);
                programs.put(build, p);
            }
            try {
                k = CL.clCreateKernel(p, name, null);
            } catch (CLException e) {
                throw new OpenClException(
                        "kernel '" + name + "' not found in " + program + ".cl: " + e.getMessage(), e);
            }
            kernels.put(key, k);
        }
        return k;
    }

    /**
     * Builds {@code source} for this device.
     *
     * @throws OpenClException with the build log when compilation fails
     */
    cl_program build(String name, String source, String options) {
        cl_program p = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            CL.clBuildProgram(p, 1, new cl_device_id[] {device}, options, null, null);
        } catch (CLException e) {
            String log = buildLog(p);
            CL.clReleaseProgram(p);
            throw new OpenClException(
                    "OpenCL program " + name + " failed to build for " + info.deviceName() + " (" + e.getMessage()
                            + "):\n" + log,
                    e);
        }
        return p;
    }

    private String buildLog(cl_program p) {
        try {
            long[] size = new long[1];
            CL.clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] bytes = new byte[(int) size[0]];
            CL.clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null);
            int n = bytes.length;
            while (n > 0 && bytes[n - 1] == 0) {
                n--;
            }
            return new String(bytes, 0, n, StandardCharsets.UTF_8).trim();
        } catch (CLException e) {
            return "(no build log: " + e.getMessage() + ")";
        }
    }

    private static String readSource(String resource) {
        try (InputStream in = OpenClRuntime.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new OpenClException("OpenCL source " + resource + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OpenClException("cannot read OpenCL source " + resource, e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Buffers

    /** A device buffer of floats (or ints: same width), owned by the caller, released by close. */
    public final class Buffer implements AutoCloseable {
        final cl_mem mem;
        final long floats;
        private boolean released;

        Buffer(long floats) {
            this.floats = Math.max(1, floats);
            this.mem = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, this.floats * Sizeof.cl_float, null, null);
        }

        public long floats() {
            return floats;
        }

        /** Copies {@code host[0..n)} to the start of the buffer. */
        public Buffer write(float[] host, int n) {
            if (n > 0) {
                CL.clEnqueueWriteBuffer(
                        queue, mem, CL_TRUE, 0, (long) n * Sizeof.cl_float, Pointer.to(host), 0, null, null);
            }
            return this;
        }

        public Buffer write(float[] host) {
            return write(host, host.length);
        }

        /** Copies {@code host[0..n)} as 32-bit ints to the start of the buffer. */
        public Buffer write(int[] host, int n) {
            if (n > 0) {
                CL.clEnqueueWriteBuffer(
                        queue, mem, CL_TRUE, 0, (long) n * Sizeof.cl_int, Pointer.to(host), 0, null, null);
            }
            return this;
        }

        /** Copies the first {@code n} floats of the buffer into {@code host[0..n)}. */
        public void read(float[] host, int n) {
            if (n > 0) {
                CL.clEnqueueReadBuffer(
                        queue, mem, CL_TRUE, 0, (long) n * Sizeof.cl_float, Pointer.to(host), 0, null, null);
            }
        }

        /**
         * Writes a {@code rows × cols} row-major host matrix into this buffer with row pitch
         * {@code ld} floats, zero-filling everything else (the padding the kernels rely on).
         */
        public Buffer writePadded(float[] host, int rows, int cols, int ld) {
            zero();
            if (rows > 0 && cols > 0) {
                long[] origin = {0, 0, 0};
                long[] region = {(long) cols * Sizeof.cl_float, rows, 1};
                CL.clEnqueueWriteBufferRect(
                        queue,
                        mem,
                        CL_TRUE,
                        origin,
                        origin,
                        region,
                        (long) ld * Sizeof.cl_float,
                        0,
                        (long) cols * Sizeof.cl_float,
                        0,
                        Pointer.to(host),
                        0,
                        null,
                        null);
            }
            return this;
        }

        /** Reads the leading {@code rows × cols} block of a matrix stored with row pitch {@code ld}. */
        public void readPadded(float[] host, int rows, int cols, int ld) {
            if (rows > 0 && cols > 0) {
                long[] origin = {0, 0, 0};
                long[] region = {(long) cols * Sizeof.cl_float, rows, 1};
                CL.clEnqueueReadBufferRect(
                        queue,
                        mem,
                        CL_TRUE,
                        origin,
                        origin,
                        region,
                        (long) ld * Sizeof.cl_float,
                        0,
                        (long) cols * Sizeof.cl_float,
                        0,
                        Pointer.to(host),
                        0,
                        null,
                        null);
            }
        }

        /** Copies the first {@code n} floats of this buffer to the start of {@code dst}. */
        public void copyTo(Buffer dst, long n) {
            if (n > 0) {
                CL.clEnqueueCopyBuffer(queue, mem, dst.mem, 0, 0, n * Sizeof.cl_float, 0, null, null);
            }
        }

        /** Sets every float of the buffer to zero. */
        public Buffer zero() {
            CL.clEnqueueFillBuffer(
                    queue,
                    mem,
                    Pointer.to(new float[] {0f}),
                    Sizeof.cl_float,
                    0,
                    floats * Sizeof.cl_float,
                    0,
                    null,
                    null);
            return this;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                CL.clReleaseMemObject(mem);
            }
        }
    }

    /** A new device buffer of {@code floats} floats (contents undefined). */
    public Buffer allocate(long floats) {
        return new Buffer(floats);
    }

    /**
     * Scratch buffer number {@code slot}, at least {@code floats} long, reused across ops (grown
     * when too small). Only valid while the caller holds {@link #lock()}.
     */
    public Buffer scratch(int slot, long floats) {
        while (scratch.size() <= slot) {
            scratch.add(new Scratch());
        }
        Scratch s = scratch.get(slot);
        if (s.buffer == null || s.buffer.floats < floats) {
            if (s.buffer != null) {
                s.buffer.close();
            }
            // Grow geometrically so that a sweep of slowly growing shapes does not reallocate each time.
            long size = s.buffer == null ? floats : Math.max(floats, s.buffer.floats + s.buffer.floats / 2);
            s.buffer = new Buffer(size);
        }
        return s.buffer;
    }

    private static final class Scratch {
        Buffer buffer;
    }

    // ---------------------------------------------------------------------------------------------
    // Launching

    /** A {@code __local} argument of the given size in bytes. */
    public record Local(long bytes) {}

    /**
     * Sets {@code args} on {@code kernel} (each a {@link Buffer}, {@link Integer}, {@link Float}
     * or {@link Local}) and enqueues it over {@code global} work-items, with work-groups of
     * {@code local} (or the implementation's choice when null).
     */
    public void launch(cl_kernel kernel, long[] global, long[] local, Object... args) {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Buffer b) {
                CL.clSetKernelArg(kernel, i, Sizeof.cl_mem, Pointer.to(b.mem));
            } else if (a instanceof Integer v) {
                CL.clSetKernelArg(kernel, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
            } else if (a instanceof Float v) {
                CL.clSetKernelArg(kernel, i, Sizeof.cl_float, Pointer.to(new float[] {v}));
            } else if (a instanceof Local l) {
                CL.clSetKernelArg(kernel, i, l.bytes(), null);
            } else {
                throw new IllegalArgumentException("unsupported kernel argument " + i + ": " + a);
            }
        }
        for (long g : global) {
            if (g == 0) {
                return; // nothing to do; OpenCL rejects empty ranges
            }
        }
        CL.clEnqueueNDRangeKernel(queue, kernel, global.length, null, global, local, 0, null, null);
    }

    /** Waits until every enqueued command has completed. */
    public void finish() {
        CL.clFinish(queue);
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (Scratch s : scratch) {
                if (s.buffer != null) {
                    s.buffer.close();
                }
            }
            kernels.values().forEach(CL::clReleaseKernel);
            programs.values().forEach(CL::clReleaseProgram);
            CL.clReleaseCommandQueue(queue);
            CL.clReleaseContext(context);
        }
    }
}
