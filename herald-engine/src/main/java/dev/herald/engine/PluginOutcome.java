package dev.herald.engine;

/** How one engine thread ended: {@code failure} is null when it finished normally. */
record PluginOutcome(String who, boolean plugin, Throwable failure) {}
