package dev.herald.communicator;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies a TLS peer with the JDK's PKIX trust manager (chain, dates, and the server name when one
 * is set), then applies the {@link TlsMode}: {@code ALWAYS_SECURE} refuses a peer that fails, while
 * {@code SECURE} accepts it with a warning and marks the session unverified, as upstream does.
 */
final class PeerTrust extends X509ExtendedTrustManager {
  private static final Logger LOG = LoggerFactory.getLogger(PeerTrust.class);

  /** The session value that marks an accepted but unverified peer; holds why it failed. */
  static final String UNVERIFIED = "dev.herald.communicator.unverified";

  private final X509ExtendedTrustManager verifier;
  private final TlsMode mode;

  PeerTrust(X509ExtendedTrustManager verifier, TlsMode mode) {
    this.verifier = verifier;
    this.mode = mode;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      verifier.checkServerTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      acceptOrRefuse(e, engine.getPeerHost() + ":" + engine.getPeerPort(), session(engine));
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      verifier.checkClientTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      acceptOrRefuse(e, engine.getPeerHost() + ":" + engine.getPeerPort(), session(engine));
    }
  }

  private static SSLSession session(SSLEngine engine) {
    return engine.getHandshakeSession();
  }

  private void acceptOrRefuse(CertificateException failure, String peer, SSLSession session)
      throws CertificateException {
    if (mode != TlsMode.SECURE) {
      throw failure;
    }
    LOG.warn(
        "TLS peer {} presents a certificate that cannot be verified ({}); accepted because the"
            + " mode is SECURE (ALWAYS_SECURE refuses it).",
        peer,
        failure.getMessage());
    if (session != null) {
      session.putValue(UNVERIFIED, String.valueOf(failure.getMessage()));
    }
  }

  // The socket forms: Herald drives engines only; these keep the contract for other users.

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      verifier.checkServerTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      acceptOrRefuse(e, String.valueOf(socket.getRemoteSocketAddress()), null);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      verifier.checkClientTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      acceptOrRefuse(e, String.valueOf(socket.getRemoteSocketAddress()), null);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    try {
      verifier.checkServerTrusted(chain, authType);
    } catch (CertificateException e) {
      acceptOrRefuse(e, "(unknown)", null);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    try {
      verifier.checkClientTrusted(chain, authType);
    } catch (CertificateException e) {
      acceptOrRefuse(e, "(unknown)", null);
    }
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return verifier.getAcceptedIssuers();
  }
}
