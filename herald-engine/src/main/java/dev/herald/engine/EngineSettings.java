package dev.herald.engine;

/** The options of one application run, frozen when {@link App#run()} starts. */
record EngineSettings(
    int publishPort,
    int subscribePort,
    String bindHost,
    int queueCapacity,
    Overflow overflow,
    int externalQueueLimit,
    Overflow externalOverflow,
    int tcpSubscriberQueueCapacity,
    int subscriberLingerMs) {}
