// Port of src/net/url/url.go (Go 1.24).
using System.Text;

namespace LxdCompose.GoTemplates.Functions;

/// <summary>The parts of Go's net/url that sprig's urlParse and urlJoin expose.</summary>
internal static class GoUrl
{
    public static Dictionary<string, object?> Parse(string raw)
    {
        string rest = raw, fragment = "", query = "", scheme = "", opaque = "", user = "", host = "", path;
        int hash = rest.IndexOf('#');
        if (hash >= 0)
        {
            fragment = Uri.UnescapeDataString(rest[(hash + 1)..]);
            rest = rest[..hash];
        }
        int colon = rest.IndexOf(':');
        if (colon > 0 && char.IsAsciiLetter(rest[0]) && rest[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
        {
            scheme = rest[..colon].ToLowerInvariant();
            rest = rest[(colon + 1)..];
        }
        else if (colon == 0)
        {
            throw new GoFunctionException($"unable to parse url: parse {GoFormat.Quote(raw)}: missing protocol scheme");
        }
        int q = rest.IndexOf('?');
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }
        if (scheme.Length > 0 && !rest.StartsWith('/'))
        {
            opaque = rest;
            rest = "";
        }
        if (opaque.Length == 0 && rest.StartsWith("//", StringComparison.Ordinal))
        {
            var authority = rest[2..];
            int slash = authority.IndexOf('/');
            if (slash >= 0)
            {
                rest = authority[slash..];
                authority = authority[..slash];
            }
            else
            {
                rest = "";
            }

            int at = authority.LastIndexOf('@');
            if (at >= 0)
            {
                user = authority[..at];
                authority = authority[(at + 1)..];
            }
            host = authority;
        }
        path = Uri.UnescapeDataString(rest);
        string hostname = host;
        if (hostname.StartsWith('['))
        {
            int close = hostname.IndexOf(']');
            hostname = close > 0 ? hostname[1..close] : hostname;
        }
        else
        {
            int c = hostname.LastIndexOf(':');
            if (c >= 0)
            {
                hostname = hostname[..c];
            }
        }
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["scheme"] = scheme, ["host"] = host, ["hostname"] = hostname, ["path"] = path, ["query"] = query,
            ["opaque"] = opaque, ["fragment"] = fragment, ["userinfo"] = user,
        };
    }

    private static string Get(IDictionary<string, object?> d, string key)
    {
        if (!d.TryGetValue(key, out var v))
        {
            return "";
        }

        if (v is string s)
        {
            return s;
        }

        throw new GoFunctionException($"unable to parse {key} key, must be of type string, but {SprigValues.KindForError(v)} found");
    }

    public static string Join(IDictionary<string, object?> d)
    {
        string scheme = Get(d, "scheme"), host = Get(d, "host"), path = Get(d, "path"), query = Get(d, "query");
        string opaque = Get(d, "opaque"), fragment = Get(d, "fragment"), user = Get(d, "userinfo");
        var sb = new StringBuilder();
        if (scheme.Length > 0)
        {
            sb.Append(scheme).Append(':');
        }

        if (opaque.Length > 0)
        {
            sb.Append(opaque);
        }
        else
        {
            if (scheme.Length > 0 || host.Length > 0 || user.Length > 0)
            {
                if (host.Length > 0 || path.Length > 0 || user.Length > 0)
                {
                    sb.Append("//");
                }

                if (user.Length > 0)
                {
                    sb.Append(user).Append('@');
                }

                sb.Append(host);
            }
            if (path.Length > 0 && path[0] != '/' && host.Length > 0)
            {
                sb.Append('/');
            }

            sb.Append(EscapePath(path));
        }
        if (query.Length > 0)
        {
            sb.Append('?').Append(query);
        }

        if (fragment.Length > 0)
        {
            sb.Append('#').Append(EscapePath(fragment));
        }

        return sb.ToString();
    }

    private static string EscapePath(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(s))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || "-_.~$&+,/:;=@!*'()".Contains(c))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }
}
