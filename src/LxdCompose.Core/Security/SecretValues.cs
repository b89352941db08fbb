using System.Collections;
using System.Globalization;
using System.Text;
using LxdCompose.Specs;

namespace LxdCompose.Security;

/// <summary>
/// The secret values of a load, and the one rule for hiding them: every report of the module (messages, errors, output
/// objects, -WhatIf text) shows <see cref="Mask"/> where a secret value stood. The values themselves still reach hooks and
/// templates: this set only decides what is shown. Thread-safe: a run adds the values hooks write into secret-named
/// variables (out2var) while other threads mask.
/// </summary>
/// <remarks>
/// A value is secret when it comes from an encrypted vars block, a vars block marked <c>secret: true</c>, the render
/// secrets file, or sits under a name that <see cref="Names"/> matches. Values shorter than
/// <see cref="MinSubstringLength"/> characters are masked only where they stand alone (not inside a longer word or
/// number): hiding every "id" inside "valid" would make all output unreadable. Every line of a multi-line value is a
/// secret of its own, so a hook that prints one line of a key is masked too.
/// </remarks>
public sealed class SecretValues
{
    public const string Mask = "********";

    public const int MinSubstringLength = 4;

    private readonly object _gate = new();
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    // Longest first, so a secret that contains another is masked whole; replaced, never changed, under _gate.
    private volatile string[] _ordered = Array.Empty<string>();

    public SecretValues(SecretNamePatterns? names = null)
    {
        Names = names ?? SecretNamePatterns.Default;
    }

    /// <summary>A set that hides nothing and matches no name (for callers without specs).</summary>
    public static SecretValues None => new(new SecretNamePatterns(Array.Empty<string>()));

    public SecretNamePatterns Names { get; }

    public int Count => _ordered.Length;

    /// <summary>Adds one value (and its lines, when it has several); empty and blank values are never secret.</summary>
    public void Add(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        var candidates = new List<string> { value, value.Trim() };
        if (value.Contains('\n', StringComparison.Ordinal))
        {
            candidates.AddRange(value.Split('\n').Select(l => l.Trim()).Where(l => l.Length >= MinSubstringLength));
        }

        lock (_gate)
        {
            var added = false;
            foreach (var candidate in candidates)
            {
                // A short value without a letter or digit ("-", "{}") would hide punctuation everywhere.
                if (candidate.Length == 0 || (candidate.Length < MinSubstringLength && !candidate.Any(char.IsLetterOrDigit)))
                {
                    continue;
                }

                added |= _known.Add(candidate);
            }

            if (added)
            {
                _ordered = _known.OrderByDescending(s => s.Length).ThenBy(s => s, StringComparer.Ordinal).ToArray();
            }
        }
    }

    /// <summary>Adds every scalar of a value tree (maps, lists); booleans and nulls are not secrets.</summary>
    public void AddTree(object? value)
    {
        switch (value)
        {
            case null or bool:
                return;
            case string text:
                Add(text);
                return;
            case IDictionary map:
                foreach (DictionaryEntry entry in map)
                {
                    AddTree(entry.Value);
                }

                return;
            case IEnumerable items:
                foreach (var item in items)
                {
                    AddTree(item);
                }

                return;
            case IFormattable formattable when value is not DateTime and not DateTimeOffset:
                Add(formattable.ToString(null, CultureInfo.InvariantCulture));
                return;
        }
    }

    /// <summary>
    /// Adds <paramref name="value"/> whole when <paramref name="name"/> is a secret name; otherwise what sits under a
    /// secret name inside it (a map's keys at any depth).
    /// </summary>
    public void AddNamed(string name, object? value)
    {
        if (Names.IsSecretName(name))
        {
            AddTree(value);
            return;
        }

        switch (value)
        {
            case IDictionary map:
                foreach (DictionaryEntry entry in map)
                {
                    AddNamed(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty, entry.Value);
                }

                break;
            case IEnumerable items and not string:
                foreach (var item in items)
                {
                    AddNamed(string.Empty, item);
                }

                break;
        }
    }

    /// <summary>Every variable of an encrypted or <c>secret: true</c> block; of another block, the secret-named ones.</summary>
    public void AddVarsBlock(VarsBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        foreach (var (name, value) in block.Envs)
        {
            if (block.Encrypted || block.Secret)
            {
                AddTree(value);
            }
            else
            {
                AddNamed(name, value);
            }
        }
    }

    public void AddVarsBlocks(IEnumerable<VarsBlock> blocks)
    {
        foreach (var block in blocks)
        {
            AddVarsBlock(block);
        }
    }

    /// <summary>The values of the secret-named keys of a string map (labels, config).</summary>
    public void AddNamedEntries(IReadOnlyDictionary<string, string> map)
    {
        foreach (var (name, value) in map)
        {
            if (Names.IsSecretName(name))
            {
                Add(value);
            }
        }
    }

    /// <summary><paramref name="text"/> with every secret value replaced by <see cref="Mask"/>.</summary>
    public string MaskText(string text)
    {
        var secrets = _ordered;
        if (secrets.Length == 0 || string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var secret in secrets)
        {
            if (secret.Length >= MinSubstringLength)
            {
                if (text.Contains(secret, StringComparison.Ordinal))
                {
                    text = text.Replace(secret, Mask, StringComparison.Ordinal);
                }
            }
            else
            {
                text = MaskStandalone(text, secret);
            }
        }

        return text;
    }

    /// <summary>Whether <paramref name="text"/> shows a secret value (as <see cref="MaskText"/> would mask it).</summary>
    public bool Reveals(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        foreach (var secret in _ordered)
        {
            if (secret.Length >= MinSubstringLength ? text.Contains(secret, StringComparison.Ordinal) : FindStandalone(text, secret, 0) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the file's content holds a secret value (UTF-8), read in chunks so a large file costs no more memory
    /// than a small one.
    /// </summary>
    public bool FileReveals(string path)
    {
        var secrets = _ordered;
        if (secrets.Length == 0)
        {
            return false;
        }

        var patterns = secrets.Select(Encoding.UTF8.GetBytes).ToArray();
        var longest = patterns.Max(p => p.Length);
        const int chunk = 1 << 20;
        var buffer = new byte[chunk + longest + 1];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var carried = 0;
        while (true)
        {
            var read = stream.Read(buffer, carried, chunk);
            var length = carried + read;
            var window = buffer.AsSpan(0, length);
            foreach (var pattern in patterns)
            {
                if (ContainsBytes(window, pattern, atEnd: read == 0))
                {
                    return true;
                }
            }

            if (read == 0)
            {
                return false;
            }

            // Keep the tail that a match across the chunk border (plus one byte of context) could start in.
            var keep = Math.Min(length, longest + 1);
            buffer.AsSpan(length - keep, keep).CopyTo(buffer);
            carried = keep;
        }
    }

    private static bool ContainsBytes(ReadOnlySpan<byte> window, byte[] pattern, bool atEnd)
    {
        var standalone = pattern.Length < MinSubstringLength;
        var from = 0;
        while (from <= window.Length - pattern.Length)
        {
            var at = window[from..].IndexOf(pattern);
            if (at < 0)
            {
                return false;
            }

            at += from;
            var end = at + pattern.Length;
            // A match that touches the window's end may continue in the next chunk: judged there (the tail is kept).
            var beforeOk = at == 0 || !IsWordByte(window[at - 1]);
            var afterOk = end < window.Length ? !IsWordByte(window[end]) : atEnd;
            if (!standalone || (beforeOk && afterOk))
            {
                return true;
            }

            from = at + 1;
        }

        return false;
    }

    private static bool IsWordByte(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or >= 0x80;

    private static string MaskStandalone(string text, string secret)
    {
        var at = FindStandalone(text, secret, 0);
        if (at < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var copied = 0;
        while (at >= 0)
        {
            builder.Append(text, copied, at - copied).Append(Mask);
            copied = at + secret.Length;
            at = FindStandalone(text, secret, copied);
        }

        return builder.Append(text, copied, text.Length - copied).ToString();
    }

    private static int FindStandalone(string text, string secret, int from)
    {
        while (from <= text.Length - secret.Length)
        {
            var at = text.IndexOf(secret, from, StringComparison.Ordinal);
            if (at < 0)
            {
                return -1;
            }

            var end = at + secret.Length;
            if ((at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end])))
            {
                return at;
            }

            from = at + 1;
        }

        return -1;
    }
}
