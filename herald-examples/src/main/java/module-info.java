/** Runnable examples and demos built on Herald's libraries, kept out of the library jars. */
module dev.herald.examples {
  requires transitive dev.herald.engine;

  exports dev.herald.examples.engine;
}
