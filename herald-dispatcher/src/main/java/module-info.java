/**
 * The eventdispatcher message protocol (string and JSON forms), a prioritised message dispatcher,
 * default commands and message definitions; no I/O.
 */
module dev.herald.dispatcher {
  requires org.slf4j;

  exports dev.herald.dispatcher;
}
