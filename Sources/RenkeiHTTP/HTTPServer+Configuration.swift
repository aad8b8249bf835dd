extension HTTPServer {
  /// Where the server listens and the limits that keep one client from starving others.
  ///
  /// Timeouts are wall-clock budgets for a phase, not per-read: a client that trickles one
  /// byte a second still runs out of time.
  public struct Configuration: Sendable {
    /// The address to bind: a numeric IPv4 or IPv6 address, or a name such as `localhost`.
    public var host: String
    /// The TCP port; 0 lets the system pick a free one, read back from
    /// ``HTTPServer/boundPort`` after ``HTTPServer/start()``.
    public var port: Int
    /// The most connections served at once. A connection accepted over the cap is answered
    /// 503 with `Connection: close` and closed at once.
    ///
    /// Sized so that slow clients cannot starve honest ones: a client that trickles its head
    /// holds a connection for at most ``headerReadTimeout``, so clients opening `r` slow
    /// connections a second hold about `r × headerReadTimeout` of them, while an agent's sync
    /// holds one for well under a second. The default 1024 leaves room for 500 slow
    /// connections (50 a second at the default 10 s) beside hundreds of agents syncing at
    /// once; each connection costs a thread and a 64 KiB read buffer. The process needs a
    /// descriptor per connection (``raiseDescriptorLimit(toServe:)``).
    public var maxConnections: Int
    /// How long a client has to send a complete request head, from the moment its
    /// connection is accepted (first request) or its first byte arrives (later requests).
    /// On expiry the client is answered 408 and closed: the slowloris defence.
    public var headerReadTimeout: Duration
    /// How long a persistent connection may wait for the next request's first byte before
    /// it is closed without a response.
    public var idleTimeout: Duration
    /// How long a client has to send the whole content once its head is accepted; on
    /// expiry it is answered 408 and closed.
    public var bodyReadTimeout: Duration
    /// How long one blocking write of a response may wait on a client that is not
    /// reading; on expiry the connection is dropped.
    public var writeTimeout: Duration
    /// The limit on the request line plus fields (``HTTPRequestParser/maxHeaderBytes``).
    public var maxHeaderBytes: Int
    /// The limit on Content-Length (``HTTPRequestParser/maxBodyBytes``), and on gzip-coded
    /// content once decoded.
    public var maxBodyBytes: Int
    /// Whether gzip-coded request content is decoded before the handler sees it. When
    /// false the handler gets the content as sent, with ``HTTPRequest/decodedContentLimit``
    /// set to ``maxBodyBytes``, and calls ``HTTPRequest/decodingContent()`` itself once the
    /// request has earned it (e.g. after checking its credentials): decoding takes up to
    /// ``maxBodyBytes`` of memory for a few KB sent, too much to spend on anyone who asks.
    /// A coding other than one gzip is refused with 415 before the handler either way.
    public var decodesRequestContent: Bool
    /// Responses with at least this many bytes of content are gzip-coded for clients that
    /// accept it (``HTTPContentCoding``); nil never codes them. Below 1 KiB the gzip frame
    /// and a code table eat most of the gain.
    public var responseCompressionThreshold: Int?
    /// Whether responses carry a Date field.
    public var sendsDate: Bool
    /// The listen backlog: connections the kernel queues before they are accepted.
    public var backlog: Int32

    public init(
      host: String = "127.0.0.1",
      port: Int = 0,
      maxConnections: Int = 1024,
      headerReadTimeout: Duration = .seconds(10),
      idleTimeout: Duration = .seconds(60),
      bodyReadTimeout: Duration = .seconds(60),
      writeTimeout: Duration = .seconds(30),
      maxHeaderBytes: Int = HTTPRequestParser.defaultMaxHeaderBytes,
      maxBodyBytes: Int = HTTPRequestParser.defaultMaxBodyBytes,
      decodesRequestContent: Bool = true,
      responseCompressionThreshold: Int? = 1024,
      sendsDate: Bool = true,
      backlog: Int32 = 128
    ) {
      self.host = host
      self.port = port
      self.maxConnections = maxConnections
      self.headerReadTimeout = headerReadTimeout
      self.idleTimeout = idleTimeout
      self.bodyReadTimeout = bodyReadTimeout
      self.writeTimeout = writeTimeout
      self.maxHeaderBytes = maxHeaderBytes
      self.maxBodyBytes = maxBodyBytes
      self.decodesRequestContent = decodesRequestContent
      self.responseCompressionThreshold = responseCompressionThreshold
      self.sendsDate = sendsDate
      self.backlog = backlog
    }
  }
}
