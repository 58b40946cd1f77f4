package dev.herald.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The exporter's counts follow what is stored, not which acknowledgements arrived. */
class ExportProgressTest {
  @Test
  void aStoredEventWhoseAcknowledgementWasLostStillCounts() {
    ExportProgress p = new ExportProgress();
    p.begin(100); // the stream held this ring's events through 100
    p.acknowledged(101);
    // 102's acknowledgement is lost; 103's proves 102 was stored (messages are stored in order)
    p.acknowledged(103);
    assertEquals(3, p.events());
    p.resynced(103); // the stream agrees after a failure
    assertEquals(3, p.events());
    assertEquals(103, p.storedThrough());
  }

  @Test
  void gapMarkersCountOnceStoredAndThoseNotStoredAreForgotten() {
    ExportProgress p = new ExportProgress();
    p.begin(0);
    p.acknowledged(1);
    p.gapPublished(10, 9); // events 2..10 missing
    p.acknowledged(11);
    assertEquals(2, p.events());
    assertEquals(1, p.gapMarkers());
    p.gapPublished(20, 9); // 12..20 missing, but this marker never reaches the stream
    p.resynced(11);
    p.gapPublished(25, 14); // the exporter found 12..25 missing when it read again
    p.acknowledged(26);
    assertEquals(3, p.events());
    assertEquals(2, p.gapMarkers());
  }

  @Test
  void aStreamThatLostAcknowledgedMessagesMovesTheCountBack() {
    ExportProgress p = new ExportProgress();
    p.begin(0);
    p.acknowledged(50);
    p.resynced(40); // a server without replicas lost its last ten messages
    assertEquals(40, p.events());
    p.acknowledged(50); // published again
    assertEquals(50, p.events());
  }
}
