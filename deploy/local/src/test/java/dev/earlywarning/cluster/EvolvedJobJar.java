package dev.earlywarning.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A new build of the at-risk scoring job whose state class changed: the job jar of this checkout
 * with {@code RiskState} recompiled from its own source plus one optional field, as a release
 * that adds a field begins. The stored format is {@code RiskStateSerializer}'s, which the field
 * does not change: the savepoint must restore into the new classes, with the field empty.
 */
final class EvolvedJobJar {

    static final String STATE_CLASS = "dev/earlywarning/scoring/RiskState";
    static final String ADDED_FIELD = "preferredChannel";
    private static final String ANCHOR = "    public String lastCaseId;\n";

    private EvolvedJobJar() {}

    static Path build(Path jobJar, Path workDir) throws IOException {
        Path source = Build.repository().resolve(
                "jobs/at-risk-scoring/src/main/java/" + STATE_CLASS + ".java");
        String original = Files.readString(source, StandardCharsets.UTF_8);
        if (!original.contains(ANCHOR)) {
            throw new IllegalStateException(source + " no longer declares lastCaseId; "
                    + "pick another place for the added field");
        }
        String evolved = original.replace(ANCHOR, ANCHOR
                + "    /** Added in the new build: optional, null in state written before it. */\n"
                + "    public String " + ADDED_FIELD + ";\n");
        Path sourceDir = workDir.resolve("src/dev/earlywarning/scoring");
        Path classes = workDir.resolve("classes");
        Files.createDirectories(sourceDir);
        Files.createDirectories(classes);
        Path evolvedSource = sourceDir.resolve("RiskState.java");
        Files.writeString(evolvedSource, evolved, StandardCharsets.UTF_8);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int result = javac.run(null, null, System.err, "--release", "17", "-proc:none",
                "-cp", jobJar + java.io.File.pathSeparator + Build.flinkClasspath(),
                "-d", classes.toString(), evolvedSource.toString());
        if (result != 0) {
            throw new IllegalStateException("the evolved RiskState does not compile");
        }

        Path evolvedJar = workDir.resolve(jobJar.getFileName().toString()
                .replace("-job.jar", "-evolved-job.jar"));
        try (JarFile in = new JarFile(jobJar.toFile());
                JarOutputStream out = new JarOutputStream(Files.newOutputStream(evolvedJar))) {
            Enumeration<JarEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (entry.getName().equals(STATE_CLASS + ".class")) {
                    continue;
                }
                out.putNextEntry(new JarEntry(entry.getName()));
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
            for (Path compiled : List.of(classes.resolve(STATE_CLASS + ".class"))) {
                out.putNextEntry(new JarEntry(STATE_CLASS + ".class"));
                try (OutputStream sink = new NonClosing(out)) {
                    Files.copy(compiled, sink);
                }
                out.closeEntry();
            }
        }
        return evolvedJar;
    }

    /** Lets {@code Files.copy} write into a jar entry without closing the whole jar. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
