package uk.ac.manchester.tornado.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.*;

/**
 * A named sequence of tasks and data transfers. This JVM implementation records the tasks and runs them, in
 * order, when an {@link TornadoExecutionPlan} executes; transfers are no-ops because host and "device" share
 * the heap.
 */
public class TaskGraph {

    /** One recorded task: its id, the invoker and the argument list. */
    record TaskEntry(String id, Invoker invoker, Object[] args) {}

    @FunctionalInterface
    interface Invoker {
        void invoke(Object[] args);
    }

    private final String name;
    private final List<TaskEntry> tasks = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();

    public TaskGraph(String name) {
        this.name = name;
    }

    public String getTaskGraphName() {
        return name;
    }

    List<TaskEntry> tasks() {
        return tasks;
    }

    public TaskGraph transferToDevice(final int mode, Object... objects) {
        return this;
    }

    public TaskGraph transferToHost(final int mode, Object... objects) {
        return this;
    }

    public ImmutableTaskGraph snapshot() {
        return new ImmutableTaskGraph(this);
    }

    private TaskGraph add(String id, Invoker invoker, Object... args) {
        if (!ids.add(id)) {
            throw new IllegalArgumentException(
                    "[TornadoVM ERROR] duplicate task name '" + id + "' in task graph '" + name + "'");
        }
        tasks.add(new TaskEntry(id, invoker, args));
        return this;
    }

    public TaskGraph task(String id, Task code) {
        return add(id, a -> code.apply());
    }

    @SuppressWarnings("unchecked")
    public <T1> TaskGraph task(String id, Task1<T1> code, T1 arg1) {
        return add(id, a -> code.apply((T1) a[0]), arg1);
    }

    @SuppressWarnings("unchecked")
    public <T1, T2> TaskGraph task(String id, Task2<T1, T2> code, T1 arg1, T2 arg2) {
        return add(id, a -> code.apply((T1) a[0], (T2) a[1]), arg1, arg2);
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3> TaskGraph task(String id, Task3<T1, T2, T3> code, T1 arg1, T2 arg2, T3 arg3) {
        return add(id, a -> code.apply((T1) a[0], (T2) a[1], (T3) a[2]), arg1, arg2, arg3);
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4> TaskGraph task(String id, Task4<T1, T2, T3, T4> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4) {
        return add(id, a -> code.apply((T1) a[0], (T2) a[1], (T3) a[2], (T4) a[3]), arg1, arg2, arg3, arg4);
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5> TaskGraph task(
            String id, Task5<T1, T2, T3, T4, T5> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5) {
        return add(
                id,
                a -> code.apply((T1) a[0], (T2) a[1], (T3) a[2], (T4) a[3], (T5) a[4]),
                arg1,
                arg2,
                arg3,
                arg4,
                arg5);
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5, T6> TaskGraph task(
            String id, Task6<T1, T2, T3, T4, T5, T6> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6) {
        return add(
                id,
                a -> code.apply((T1) a[0], (T2) a[1], (T3) a[2], (T4) a[3], (T5) a[4], (T6) a[5]),
                arg1,
                arg2,
                arg3,
                arg4,
                arg5,
                arg6);
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5, T6, T7> TaskGraph task(
            String id,
            Task7<T1, T2, T3, T4, T5, T6, T7> code,
            T1 arg1,
            T2 arg2,
            T3 arg3,
            T4 arg4,
            T5 arg5,
            T6 arg6,
            T7 arg7) {
        return add(
                id,
                a -> code.apply((T1) a[0], (T2) a[1], (T3) a[2], (T4) a[3], (T5) a[4], (T6) a[5], (T7) a[6]),
                arg1,
                arg2,
                arg3,
                arg4,
                arg5,
                arg6,
                arg7);
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5, T6, T7, T8> TaskGraph task(
            String id,
            Task8<T1, T2, T3, T4, T5, T6, T7, T8> code,
            T1 arg1,
            T2 arg2,
            T3 arg3,
            T4 arg4,
            T5 arg5,
            T6 arg6,
            T7 arg7,
            T8 arg8) {
        return add(
                id,
                a -> code.apply((T1) a[0], (T2) a[1], (T3) a[2], (T4) a[3], (T5) a[4], (T6) a[5], (T7) a[6], (T8) a[7]),
                arg1,
                arg2,
                arg3,
                arg4,
                arg5,
                arg6,
                arg7,
                arg8);
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5, T6, T7, T8, T9> TaskGraph task(
            String id,
            Task9<T1, T2, T3, T4, T5, T6, T7, T8, T9> code,
            T1 arg1,
            T2 arg2,
            T3 arg3,
            T4 arg4,
            T5 arg5,
            T6 arg6,
            T7 arg7,
            T8 arg8,
            T9 arg9) {
        return add(
                id,
                a -> code.apply(
                        (T1) a[0], (T2) a[1], (T3) a[2], (T4) a[3], (T5) a[4], (T6) a[5], (T7) a[6], (T8) a[7],
                        (T9) a[8]),
                arg1,
                arg2,
                arg3,
                arg4,
                arg5,
                arg6,
                arg7,
                arg8,
                arg9);
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> TaskGraph task(
            String id,
            Task10<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> code,
            T1 arg1,
            T2 arg2,
            T3 arg3,
            T4 arg4,
            T5 arg5,
            T6 arg6,
            T7 arg7,
            T8 arg8,
            T9 arg9,
            T10 arg10) {
        return add(
                id,
                a -> code.apply(
                        (T1) a[0],
                        (T2) a[1],
                        (T3) a[2],
                        (T4) a[3],
                        (T5) a[4],
                        (T6) a[5],
                        (T7) a[6],
                        (T8) a[7],
                        (T9) a[8],
                        (T10) a[9]),
                arg1,
                arg2,
                arg3,
                arg4,
                arg5,
                arg6,
                arg7,
                arg8,
                arg9,
                arg10);
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> TaskGraph task(
            String id,
            Task11<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> code,
            T1 arg1,
            T2 arg2,
            T3 arg3,
            T4 arg4,
            T5 arg5,
            T6 arg6,
            T7 arg7,
            T8 arg8,
            T9 arg9,
            T10 arg10,
            T11 arg11) {
        return add(
                id,
                a -> code.apply(
                        (T1) a[0],
                        (T2) a[1],
                        (T3) a[2],
                        (T4) a[3],
                        (T5) a[4],
                        (T6) a[5],
                        (T7) a[6],
                        (T8) a[7],
                        (T9) a[8],
                        (T10) a[9],
                        (T11) a[10]),
                arg1,
                arg2,
                arg3,
                arg4,
                arg5,
                arg6,
                arg7,
                arg8,
                arg9,
                arg10,
                arg11);
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> TaskGraph task(
            String id,
            Task12<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> code,
            T1 arg1,
            T2 arg2,
            T3 arg3,
            T4 arg4,
            T5 arg5,
            T6 arg6,
            T7 arg7,
            T8 arg8,
            T9 arg9,
            T10 arg10,
            T11 arg11,
            T12 arg12) {
        return add(
                id,
                a -> code.apply(
                        (T1) a[0],
                        (T2) a[1],
                        (T3) a[2],
                        (T4) a[3],
                        (T5) a[4],
                        (T6) a[5],
                        (T7) a[6],
                        (T8) a[7],
                        (T9) a[8],
                        (T10) a[9],
                        (T11) a[10],
                        (T12) a[11]),
                arg1,
                arg2,
                arg3,
                arg4,
                arg5,
                arg6,
                arg7,
                arg8,
                arg9,
                arg10,
                arg11,
                arg12);
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> TaskGraph task(
            String id,
            Task13<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> code,
            T1 arg1,
            T2 arg2,
            T3 arg3,
            T4 arg4,
            T5 arg5,
            T6 arg6,
            T7 arg7,
            T8 arg8,
            T9 arg9,
            T10 arg10,
            T11 arg11,
            T12 arg12,
            T13 arg13) {
        return add(
                id,
                a -> code.apply(
                        (T1) a[0],
                        (T2) a[1],
                        (T3) a[2],
                        (T4) a[3],
                        (T5) a[4],
                        (T6) a[5],
                        (T7) a[6],
                        (T8) a[7],
                        (T9) a[8],
                        (T10) a[9],
                        (T11) a[10],
                        (T12) a[11],
                        (T13) a[12]),
                arg1,
                arg2,
                arg3,
                arg4,
                arg5,
                arg6,
                arg7,
                arg8,
                arg9,
                arg10,
                arg11,
                arg12,
                arg13);
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> TaskGraph task(
            String id,
            Task14<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> code,
            T1 arg1,
            T2 arg2,
            T3 arg3,
            T4 arg4,
            T5 arg5,
            T6 arg6,
            T7 arg7,
            T8 arg8,
            T9 arg9,
            T10 arg10,
            T11 arg11,
            T12 arg12,
            T13 arg13,
            T14 arg14) {
        return add(
                id,
                a -> code.apply(
                        (T1) a[0],
                        (T2) a[1],
                        (T3) a[2],
                        (T4) a[3],
                        (T5) a[4],
                        (T6) a[5],
                        (T7) a[6],
                        (T8) a[7],
                        (T9) a[8],
                        (T10) a[9],
                        (T11) a[10],
                        (T12) a[11],
                        (T13) a[12],
                        (T14) a[13]),
                arg1,
                arg2,
                arg3,
                arg4,
                arg5,
                arg6,
                arg7,
                arg8,
                arg9,
                arg10,
                arg11,
                arg12,
                arg13,
                arg14);
    }

    @SuppressWarnings("unchecked")
    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15> TaskGraph task(
            String id,
            Task15<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15> code,
            T1 arg1,
            T2 arg2,
            T3 arg3,
            T4 arg4,
            T5 arg5,
            T6 arg6,
            T7 arg7,
            T8 arg8,
            T9 arg9,
            T10 arg10,
            T11 arg11,
            T12 arg12,
            T13 arg13,
            T14 arg14,
            T15 arg15) {
        return add(
                id,
                a -> code.apply(
                        (T1) a[0],
                        (T2) a[1],
                        (T3) a[2],
                        (T4) a[3],
                        (T5) a[4],
                        (T6) a[5],
                        (T7) a[6],
                        (T8) a[7],
                        (T9) a[8],
                        (T10) a[9],
                        (T11) a[10],
                        (T12) a[11],
                        (T13) a[12],
                        (T14) a[13],
                        (T15) a[14]),
                arg1,
                arg2,
                arg3,
                arg4,
                arg5,
                arg6,
                arg7,
                arg8,
                arg9,
                arg10,
                arg11,
                arg12,
                arg13,
                arg14,
                arg15);
    }
}
