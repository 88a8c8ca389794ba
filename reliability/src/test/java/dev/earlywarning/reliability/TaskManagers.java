package dev.earlywarning.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.runtime.minicluster.MiniCluster;

/**
 * Kills task managers of a MiniCluster the way a lost machine ends one: its tasks fail and its
 * slots are gone. A new task manager replaces it at once, so that the jobs find slots to restart
 * in. The MiniCluster numbers task managers in start order and never reuses a number.
 */
final class TaskManagers {

    private final MiniCluster cluster;
    private final Random random;
    private final List<Integer> alive = new ArrayList<>();
    private int started;

    TaskManagers(MiniCluster cluster, int initial, Random random) {
        this.cluster = cluster;
        this.random = random;
        for (; started < initial; started++) {
            alive.add(started);
        }
    }

    /** Terminates a randomly chosen live task manager and starts a new one. */
    void killOneAndReplace() throws Exception {
        int victim = alive.remove(random.nextInt(alive.size()));
        cluster.terminateTaskManager(victim).get();
        cluster.startTaskManager();
        alive.add(started++);
    }
}
