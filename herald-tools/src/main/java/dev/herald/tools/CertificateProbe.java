package dev.herald.tools;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Fetches the certificate a TLS server presents, whether or not it chains to a trusted authority,
 * and says whether it would have been trusted: the JDK's default trust store, with the host name
 * checked as HTTPS clients check it.
 */
final class CertificateProbe {
  private CertificateProbe() {}

  /** What the server presented. */
  record Result(X509Certificate certificate, boolean verified) {}

  /**
   * Connects, runs the handshake and returns the server's leaf certificate.
   *
   * @throws IOException when no certificate could be read (refused, timed out, not TLS)
   */
  static Result fetch(String host, int port, int timeoutMillis) throws IOException {
    Recorder recorder = new Recorder(defaultTrust());
    SSLContext context;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {recorder}, null);
    } catch (GeneralSecurityException e) {
      throw new IOException("no TLS implementation: " + e.getMessage(), e);
    }
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(host, port), timeoutMillis);
      plain.setSoTimeout(timeoutMillis);
      try (SSLSocket tls =
          (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, false)) {
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (HostAndPort.isName(host)) {
          parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        tls.setSSLParameters(parameters);
        tls.startHandshake();
      }
    }
    if (recorder.chain == null || recorder.chain.length == 0) {
      throw new IOException("the server presented no certificate");
    }
    return new Result(recorder.chain[0], recorder.verified);
  }

  private static X509ExtendedTrustManager defaultTrust() throws IOException {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager x509) {
          return x509;
        }
      }
      throw new IOException("the JDK offers no X.509 trust manager");
    } catch (GeneralSecurityException e) {
      throw new IOException("the default trust store cannot be loaded: " + e.getMessage(), e);
    }
  }

  /** Accepts every server, remembering its chain and whether the default trust accepted it. */
  private static final class Recorder extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager trust;
    X509Certificate[] chain;
    boolean verified;

    Recorder(X509ExtendedTrustManager trust) {
      this.trust = trust;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
      this.chain = chain.clone();
      try {
        trust.checkServerTrusted(chain, authType, socket);
        verified = true;
      } catch (CertificateException e) {
        verified = false;
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
      throw new UnsupportedOperationException("the probe runs on a socket");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("the probe runs on a socket");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("the probe is a client");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("the probe is a client");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("the probe is a client");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
