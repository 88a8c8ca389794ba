package dev.earlywarning.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.TimelineEntry;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class TimelineWindowTest {

    @Test
    void itHoldsTheNewestEntriesOldestFirstAsTheyWere() {
        List<TimelineEntry> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            entries.add(entry(i));
        }
        TimelineWindow window = new TimelineWindow(entries, 3);
        assertThat(window.entries()).containsExactlyElementsOf(entries.subList(2, 5));

        window.add(entry(5));
        window.add(entry(6));
        assertThat(window.entries()).containsExactly(entry(4), entry(5), entry(6));
        assertThat(window.size()).isEqualTo(3);
    }

    @Test
    void aWindowNotYetFullHoldsWhatItWasGiven() {
        TimelineWindow window = new TimelineWindow(List.of(), 20);
        assertThat(window.entries()).isEmpty();
        window.add(entry(1));
        assertThat(window.entries()).containsExactly(entry(1));
    }

    @Test
    void aWindowWrittenOutReadsBackAsItWas() throws Exception {
        TimelineWindow full = new TimelineWindow(List.of(entry(1), entry(2), entry(3), entry(4)), 3);
        TimelineWindow partial = new TimelineWindow(List.of(entry(1)), 3);
        for (TimelineWindow window : List.of(full, partial)) {
            DataOutputSerializer out = new DataOutputSerializer(256);
            window.writeTo(out);
            TimelineWindow read = TimelineWindow.readFrom(
                    new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(read.entries()).isEqualTo(window.entries());
            read.add(entry(9));
            window.add(entry(9));
            assertThat(read.entries()).as("and goes on from there").isEqualTo(window.entries());
        }
    }

    private static TimelineEntry entry(int minute) {
        return new TimelineEntry(Events.at(minute), minute % 2 == 0 ? Channel.CHAT : Channel.PHONE,
                "MESSAGE", "message " + minute, minute == 3 ? null : "e" + minute);
    }
}
