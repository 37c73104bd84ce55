package dev.replica.kernels.tornado;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Replica's api-jvm must be a strict subset of TornadoVM 5.2's real API: every public or protected class, member
 * and annotation target it declares exists in the real jar with the same signature, so code that compiles against
 * the subset compiles and links against TornadoVM (the kernels' bytecode, built against api-jvm, is what the SDK
 * execution runs). Runs in the TornadoVM SDK execution only: the real API is on its module path, the subset is
 * loaded from {@code api-jvm/target/classes} by an isolated class loader.
 */
@Tag("tornadovm-sdk")
class TornadoApiCompatibilityTest {

    private static final String API_PACKAGE = "uk.ac.manchester.tornado.api";

    @Test
    void everyPublicSignatureOfTheSubsetExistsInTheRealApi() throws Exception {
        Path classes = Path.of(System.getProperty("replica.apijvm.classes", "../api-jvm/target/classes"));
        assertTrue(
                Files.isDirectory(classes.resolve("uk/ac/manchester/tornado/api")),
                "api-jvm classes not found at " + classes.toAbsolutePath() + " (build tornado-kernels/api-jvm first)");
        assertFalse(TornadoRuntimeInfo.emulated(), "the real TornadoVM API must be the one on this JVM's class path");
        List<String> problems = new ArrayList<>();
        int checked = 0;
        try (URLClassLoader subsetLoader =
                        new URLClassLoader(new URL[] {classes.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
                Stream<Path> files = Files.walk(classes.resolve("uk/ac/manchester/tornado/api"))) {
            for (String name : classNames(classes, files)) {
                Class<?> subset = Class.forName(name, false, subsetLoader);
                if (!isVisible(subset.getModifiers())) {
                    continue;
                }
                Class<?> real;
                try {
                    real = Class.forName(name, false, TornadoApiCompatibilityTest.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    problems.add(name + ": no such class in TornadoVM");
                    continue;
                }
                assertTrue(real.getClassLoader() != subsetLoader, name);
                compareClass(subset, real, problems);
                checked++;
            }
        }
        System.out.printf("api-jvm vs TornadoVM %s: %d classes compared%n", realVersion(), checked);
        assertTrue(checked >= 20, "too few classes compared: " + checked);
        if (!problems.isEmpty()) {
            fail("api-jvm differs from TornadoVM's API:\n  " + String.join("\n  ", problems));
        }
    }

    private static List<String> classNames(Path root, Stream<Path> files) {
        return files.filter(p -> p.toString().endsWith(".class"))
                .map(p -> root.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", ""))
                .filter(n -> n.startsWith(API_PACKAGE))
                .sorted()
                .collect(Collectors.toList());
    }

    private static String realVersion() {
        Package p = uk.ac.manchester.tornado.api.TaskGraph.class.getPackage();
        Module m = uk.ac.manchester.tornado.api.TaskGraph.class.getModule();
        return m.getDescriptor() != null && m.getDescriptor().rawVersion().isPresent()
                ? m.getDescriptor().rawVersion().get()
                : String.valueOf(p.getImplementationVersion());
    }

    private static boolean isVisible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void compareClass(Class<?> subset, Class<?> real, List<String> problems) {
        String n = subset.getName();
        if (subset.isInterface() != real.isInterface()
                || subset.isAnnotation() != real.isAnnotation()
                || subset.isEnum() != real.isEnum()
                || subset.isRecord() != real.isRecord()) {
            problems.add(n + ": kind differs (class/interface/annotation/enum/record)");
        }
        if (!isVisible(real.getModifiers())) {
            problems.add(n + ": not public in TornadoVM");
        }
        if (Modifier.isStatic(subset.getModifiers()) != Modifier.isStatic(real.getModifiers())) {
            problems.add(n + ": static nesting differs");
        }
        // What the subset lets a caller do must be allowed by the real class: no `new` of an abstract class, no
        // subclass of a final or sealed one.
        if (Modifier.isAbstract(real.getModifiers())
                && !real.isInterface()
                && !Modifier.isAbstract(subset.getModifiers())) {
            problems.add(n + ": abstract in TornadoVM, concrete in api-jvm");
        }
        boolean realClosed = Modifier.isFinal(real.getModifiers()) || real.isSealed();
        boolean subsetClosed = Modifier.isFinal(subset.getModifiers()) || subset.isSealed();
        if (realClosed && !subsetClosed) {
            problems.add(n + ": final or sealed in TornadoVM, open to subclasses in api-jvm");
        }
        String superName =
                subset.getSuperclass() == null ? null : subset.getSuperclass().getName();
        String realSuper =
                real.getSuperclass() == null ? null : real.getSuperclass().getName();
        if (superName != null && !superName.equals(realSuper)) {
            problems.add(n + ": extends " + superName + ", TornadoVM's extends " + realSuper);
        }
        Set<String> realInterfaces = names(real.getInterfaces());
        for (Class<?> i : subset.getInterfaces()) {
            if (!realInterfaces.contains(i.getName())) {
                problems.add(n + ": implements " + i.getName() + ", TornadoVM's does not");
            }
        }
        if (subset.isAnnotation()) {
            compareAnnotation(subset, real, problems);
        }
        for (Field f : subset.getDeclaredFields()) {
            if (isVisible(f.getModifiers()) && !f.isSynthetic()) {
                compareField(f, real, problems);
            }
        }
        for (Constructor<?> c : subset.getDeclaredConstructors()) {
            if (isVisible(c.getModifiers()) && !c.isSynthetic()) {
                try {
                    Constructor<?> rc = real.getDeclaredConstructor(resolve(c.getParameterTypes(), real));
                    compareExecutable(n + ".<init>" + params(c), c, rc, problems);
                } catch (NoSuchMethodException | ClassNotFoundException e) {
                    problems.add(n + ".<init>" + params(c) + ": no such constructor in TornadoVM");
                }
            }
        }
        for (Method m : subset.getDeclaredMethods()) {
            if (isVisible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                compareMethod(m, real, problems);
            }
        }
    }

    private static void compareAnnotation(Class<?> subset, Class<?> real, List<String> problems) {
        Target st = subset.getAnnotation(Target.class), rt = real.getAnnotation(Target.class);
        String s = st == null ? "-" : sorted(st.value()), r = rt == null ? "-" : sorted(rt.value());
        if (!s.equals(r)) {
            problems.add(subset.getName() + ": @Target " + s + ", TornadoVM's " + r);
        }
        Retention sr = subset.getAnnotation(Retention.class), rr = real.getAnnotation(Retention.class);
        String a = sr == null ? "CLASS" : sr.value().name(),
                b = rr == null ? "CLASS" : rr.value().name();
        if (!a.equals(b)) {
            problems.add(subset.getName() + ": @Retention " + a + ", TornadoVM's " + b);
        }
    }

    private static String sorted(Object[] values) {
        return Arrays.stream(values).map(String::valueOf).sorted().collect(Collectors.joining(",", "[", "]"));
    }

    private static void compareField(Field f, Class<?> real, List<String> problems) {
        String where = real.getName() + "." + f.getName();
        Field rf = findField(real, f.getName());
        if (rf == null || !isVisible(rf.getModifiers())) {
            problems.add(where + ": no such field in TornadoVM");
            return;
        }
        if (!f.getGenericType().getTypeName().equals(rf.getGenericType().getTypeName())) {
            problems.add(where + ": type " + f.getGenericType().getTypeName() + ", TornadoVM's "
                    + rf.getGenericType().getTypeName());
        }
        if (Modifier.isStatic(f.getModifiers()) != Modifier.isStatic(rf.getModifiers())) {
            problems.add(where + ": static differs");
        }
        if (Modifier.isFinal(rf.getModifiers()) && !Modifier.isFinal(f.getModifiers())) {
            problems.add(where + ": final in TornadoVM, assignable in api-jvm");
        }
        if (Modifier.isPublic(f.getModifiers()) && !Modifier.isPublic(rf.getModifiers())) {
            problems.add(where + ": public in api-jvm, protected in TornadoVM");
        }
    }

    private static Field findField(Class<?> c, String name) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            try {
                return k.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        return null;
    }

    private static void compareMethod(Method m, Class<?> real, List<String> problems) {
        String where = real.getName() + "." + m.getName() + params(m);
        Method rm;
        try {
            rm = findMethod(real, m.getName(), resolve(m.getParameterTypes(), real));
        } catch (ClassNotFoundException e) {
            problems.add(where + ": parameter type missing in TornadoVM (" + e.getMessage() + ")");
            return;
        }
        if (rm == null || !isVisible(rm.getModifiers())) {
            problems.add(where + ": no such method in TornadoVM");
            return;
        }
        if (!m.getGenericReturnType()
                .getTypeName()
                .equals(rm.getGenericReturnType().getTypeName())) {
            problems.add(where + ": returns " + m.getGenericReturnType().getTypeName() + ", TornadoVM's "
                    + rm.getGenericReturnType().getTypeName());
        }
        if (Modifier.isStatic(m.getModifiers()) != Modifier.isStatic(rm.getModifiers())) {
            problems.add(where + ": static differs");
        }
        if (Modifier.isPublic(m.getModifiers()) && !Modifier.isPublic(rm.getModifiers())) {
            problems.add(where + ": public in api-jvm, protected in TornadoVM");
        }
        compareExecutable(where, m, rm, problems);
    }

    private static Method findMethod(Class<?> c, String name, Class<?>[] types) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            try {
                return k.getDeclaredMethod(name, types);
            } catch (NoSuchMethodException e) {
                // look in the superclass
            }
        }
        for (Class<?> i : c.getInterfaces()) {
            Method m = findMethod(i, name, types);
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    /** Generic parameter types and checked exceptions must be the same (a caller's try/catch depends on them). */
    private static void compareExecutable(String where, Executable s, Executable r, List<String> problems) {
        String sp = Arrays.stream(s.getGenericParameterTypes())
                .map(t -> t.getTypeName())
                .collect(Collectors.joining(","));
        String rp = Arrays.stream(r.getGenericParameterTypes())
                .map(t -> t.getTypeName())
                .collect(Collectors.joining(","));
        if (!sp.equals(rp)) {
            problems.add(where + ": generic parameters (" + sp + "), TornadoVM's (" + rp + ")");
        }
        Set<String> se = checked(s.getExceptionTypes()), re = checked(r.getExceptionTypes());
        if (!se.equals(re)) {
            problems.add(where + ": throws " + se + ", TornadoVM's throws " + re);
        }
        if (s.isVarArgs() != r.isVarArgs()) {
            problems.add(where + ": varargs differs");
        }
    }

    private static Set<String> checked(Class<?>[] exceptions) {
        Set<String> out = new TreeSet<>();
        for (Class<?> e : exceptions) {
            if (!RuntimeException.class.isAssignableFrom(e) && !Error.class.isAssignableFrom(e)) {
                out.add(e.getName());
            }
        }
        return out;
    }

    /** The subset's parameter types, looked up by name among the real API's classes. */
    private static Class<?>[] resolve(Class<?>[] types, Class<?> real) throws ClassNotFoundException {
        Class<?>[] out = new Class<?>[types.length];
        for (int i = 0; i < types.length; i++) {
            out[i] = resolve(types[i], real.getClassLoader());
        }
        return out;
    }

    private static Class<?> resolve(Class<?> t, ClassLoader loader) throws ClassNotFoundException {
        if (t.isPrimitive()) {
            return t;
        }
        if (t.isArray()) {
            return resolve(t.getComponentType(), loader).arrayType();
        }
        return Class.forName(t.getName(), false, loader);
    }

    private static String params(Executable e) {
        return Arrays.stream(e.getParameterTypes())
                .map(Class::getSimpleName)
                .collect(Collectors.joining(",", "(", ")"));
    }

    private static Set<String> names(Class<?>[] classes) {
        Set<String> out = new TreeSet<>();
        for (Class<?> c : classes) {
            out.add(c.getName());
        }
        return out;
    }
}
