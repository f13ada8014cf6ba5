package dev.raftledger.raftd.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What one call into the core produced. The driver must act on it in this order:
 * <ol>
 *   <li>persist {@link #hardState()} if it is not null (durably: the vote or the term must
 *       survive a crash before any message that depends on it leaves the node);</li>
 *   <li>send {@link #messages()};</li>
 *   <li>log {@link #events()}.</li>
 * </ol>
 */
public record Output(HardState hardState, List<Outbound> messages, List<CoreEvent> events) {

    public static final Output NONE = new Output(null, List.of(), List.of());

    public Output {
        messages = List.copyOf(messages);
        events = List.copyOf(events);
    }

    public boolean isEmpty() {
        return hardState == null && messages.isEmpty() && events.isEmpty();
    }

    /** Collects the effects of one call; the core starts one per call and returns its result. */
    static final class Builder {
        private HardState hardState;
        private final List<Outbound> messages = new ArrayList<>();
        private final List<CoreEvent> events = new ArrayList<>();

        void persist(HardState state) {
            hardState = state;
        }

        void send(Outbound message) {
            messages.add(message);
        }

        void event(CoreEvent event) {
            events.add(event);
        }

        Output build() {
            return hardState == null && messages.isEmpty() && events.isEmpty()
                    ? NONE : new Output(hardState, messages, events);
        }
    }
}
