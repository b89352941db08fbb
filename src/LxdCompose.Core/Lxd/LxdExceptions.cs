namespace LxdCompose.Lxd;

/// <summary>Base of every failure the LXD client reports; <see cref="Target"/> names what was being worked on.</summary>
public class LxdException : Exception
{
    public LxdException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <summary>The remote, instance, path or object the failed call was about, when known.</summary>
    public string? Target { get; init; }

    /// <summary>HTTP status or LXD error code of the failed call; 0 when no response was received.</summary>
    public int StatusCode { get; init; }

    /// <summary>LXD's own error text, when the server sent one.</summary>
    public string? ServerError { get; init; }
}

/// <summary>The server answered with an error not covered by a more specific type (400, 500, ...).</summary>
public class LxdApiException : LxdException
{
    public LxdApiException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>404: the instance, image, file, profile or other object does not exist.</summary>
public sealed class LxdNotFoundException : LxdApiException
{
    public LxdNotFoundException(string message)
        : base(message)
    {
    }
}

/// <summary>409: the object already exists or is busy.</summary>
public sealed class LxdConflictException : LxdApiException
{
    public LxdConflictException(string message)
        : base(message)
    {
    }
}

/// <summary>412: the object changed since it was read (ETag mismatch).</summary>
public sealed class LxdPreconditionFailedException : LxdApiException
{
    public LxdPreconditionFailedException(string message)
        : base(message)
    {
    }
}

/// <summary>401/403, or an untrusted client: the server refused who we are.</summary>
public sealed class LxdAuthException : LxdApiException
{
    public LxdAuthException(string message)
        : base(message)
    {
    }
}

/// <summary>The TLS handshake failed: server certificate not trusted, protocol not supported, client key unusable.</summary>
public class LxdTlsException : LxdException
{
    public LxdTlsException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>The server presented a certificate other than the one pinned in servercerts/: refused, never overridden.</summary>
public sealed class LxdCertificatePinMismatchException : LxdTlsException
{
    public LxdCertificatePinMismatchException(string message, string expectedFingerprint, string actualFingerprint)
        : base(message)
    {
        ExpectedFingerprint = expectedFingerprint;
        ActualFingerprint = actualFingerprint;
    }

    public string ExpectedFingerprint { get; }

    public string ActualFingerprint { get; }
}

/// <summary>The server could not be reached: socket missing or not accessible, connection refused, name not resolved.</summary>
public sealed class LxdConnectionException : LxdException
{
    public LxdConnectionException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>An operation ended in failure or was cancelled; the message carries LXD's error text.</summary>
public sealed class LxdOperationException : LxdException
{
    public LxdOperationException(string message, string operationId)
        : base(message)
    {
        OperationId = operationId;
    }

    public string OperationId { get; }
}

/// <summary>A call or a wait did not finish within its time limit.</summary>
public sealed class LxdTimeoutException : LxdException
{
    public LxdTimeoutException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>The client configuration (config.yml, certificates, addresses) is unusable.</summary>
public sealed class LxdConfigException : LxdException
{
    public LxdConfigException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
