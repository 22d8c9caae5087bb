package io.irisx.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU seconds (user + system) spent so far by each kind of process on this machine, read from {@code /proc}: this
 * JVM, the processes given (worker JVMs a program started), every {@code nats-server}, and PostgreSQL (every {@code
 * postgres} process, and the processes its postmasters have reaped: backends and autovacuum workers that exited count
 * too). The difference of two readings is what each kind spent in between; a program divides it by the jobs done.
 * On a machine without {@code /proc}, or where PostgreSQL or NATS run elsewhere, their share reads 0.
 *
 * @param self this JVM
 * @param others the processes given to {@link #read(long...)}
 * @param nats every {@code nats-server}
 * @param postgres every PostgreSQL process, with its postmaster's reaped children
 */
public record MachineCpu(double self, double others, double nats, double postgres) {

    /** Clock ticks per second of {@code /proc/<pid>/stat}'s CPU times ({@code getconf CLK_TCK}, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100;

    /** Reads the CPU spent so far, {@code others} being the pids of processes to count apart. */
    public static MachineCpu read(long... others) throws IOException {
        double counted = 0;
        for (long pid : others) {
            Stat stat = Stat.of(pid);
            counted += stat == null ? 0 : stat.own();
        }
        double nats = 0;
        double postgres = 0;
        Path proc = Path.of("/proc");
        if (Files.isDirectory(proc)) {
            try (Stream<Path> processes = Files.list(proc)) {
                for (Path process : processes.toList()) {
                    String name = process.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    Stat stat = Stat.of(Long.parseLong(name));
                    if (stat == null) {
                        continue;
                    }
                    if ("nats-server".equals(stat.command)) {
                        nats += stat.own();
                    } else if ("postgres".equals(stat.command)) {
                        // A postmaster (its parent is not postgres) also holds what its exited children spent.
                        Stat parent = Stat.of(stat.parent);
                        boolean postmaster = parent == null || !"postgres".equals(parent.command);
                        postgres += stat.own() + (postmaster ? stat.reaped() : 0);
                    }
                }
            }
        }
        Stat self = Stat.of(ProcessHandle.current().pid());
        return new MachineCpu(self == null ? 0 : self.own(), counted, nats, postgres);
    }

    /** What was spent between {@code earlier} and this reading. */
    public MachineCpu minus(MachineCpu earlier) {
        return new MachineCpu(self - earlier.self, others - earlier.others, nats - earlier.nats,
                postgres - earlier.postgres);
    }

    /** The CPU of every process counted. */
    public double total() {
        return self + others + nats + postgres;
    }

    /** One line of {@code /proc/<pid>/stat}: the process's name, parent and CPU ticks. */
    private record Stat(String command, long parent, long utime, long stime, long cutime, long cstime) {

        /** The process's figures; null when it is gone. */
        static Stat of(long pid) {
            String line;
            try {
                line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            } catch (IOException e) {
                return null;
            }
            // pid (comm) state ppid ...: the name may hold spaces, so the fields are read after its ')'. Counted from
            // there, the parent is the 2nd, utime, stime, cutime and cstime the 12th to 15th.
            int open = line.indexOf('(');
            int close = line.lastIndexOf(')');
            String[] fields = line.substring(close + 2).split(" ");
            return new Stat(line.substring(open + 1, close), Long.parseLong(fields[1]), Long.parseLong(fields[11]),
                    Long.parseLong(fields[12]), Long.parseLong(fields[13]), Long.parseLong(fields[14]));
        }

        double own() {
            return (utime + stime) / TICKS_PER_SECOND;
        }

        double reaped() {
            return (cutime + cstime) / TICKS_PER_SECOND;
        }
    }
}
