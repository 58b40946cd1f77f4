package dev.herald.engine;

import java.util.List;

/** The plain external plugin behind {@link ExternalPlugin#of}. */
record ExternalPluginSpec(String name, int tcpPort, List<EventType> subscriptions)
    implements ExternalPlugin {}
