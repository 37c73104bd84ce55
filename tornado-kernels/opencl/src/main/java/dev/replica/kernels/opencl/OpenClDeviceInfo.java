package dev.replica.kernels.opencl;

/**
 * What a manifest records about an OpenCL device, and what the backend needs to pick kernel
 * variants.
 *
 * @param platformIndex index of the platform in {@code clGetPlatformIDs} order
 * @param deviceIndex index of the device within its platform
 * @param platformName e.g. "Portable Computing Language"
 * @param platformVersion e.g. "OpenCL 3.0 PoCL 3.1"
 * @param deviceName e.g. "pthread-skylake-avx512-AMD EPYC" or "NVIDIA H100 80GB HBM3"
 * @param vendor device vendor string
 * @param driverVersion {@code CL_DRIVER_VERSION}, e.g. "3.1+debian" or "550.54.15"
 * @param deviceVersion {@code CL_DEVICE_VERSION}, e.g. "OpenCL 3.0 PoCL HSTR: ..."
 * @param type CPU, GPU, ACCELERATOR or OTHER
 * @param computeUnits {@code CL_DEVICE_MAX_COMPUTE_UNITS}
 * @param maxWorkGroupSize {@code CL_DEVICE_MAX_WORK_GROUP_SIZE}
 * @param localMemBytes {@code CL_DEVICE_LOCAL_MEM_SIZE}
 * @param globalMemBytes {@code CL_DEVICE_GLOBAL_MEM_SIZE}
 */
public record OpenClDeviceInfo(
        int platformIndex,
        int deviceIndex,
        String platformName,
        String platformVersion,
        String deviceName,
        String vendor,
        String driverVersion,
        String deviceVersion,
        Type type,
        int computeUnits,
        long maxWorkGroupSize,
        long localMemBytes,
        long globalMemBytes) {

    /** The coarse device class that decides between register-blocked and local-memory kernels. */
    public enum Type {
        CPU,
        GPU,
        ACCELERATOR,
        OTHER
    }

    /** {@code "platform:device"}, the form {@code replica.kernels.opencl.device} accepts. */
    public String id() {
        return platformIndex + ":" + deviceIndex;
    }

    /** One line for logs and manifests: {@code "0:0 GPU NVIDIA H100 (driver 550.54.15)"}. */
    public String describe() {
        return id() + " " + type + " " + deviceName + " (driver " + driverVersion + ", " + platformName + ")";
    }
}
