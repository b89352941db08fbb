// Port of semver.go (Masterminds/sprig v3.3.0), version.go and constraints.go (github.com/Masterminds/semver/v3 v3.3.0).
using System.Globalization;
using System.Text.RegularExpressions;

namespace LxdCompose.GoTemplates.Functions;

/// <summary>sprig's semver and semverCompare on Masterminds/semver v3.3.0 semantics.</summary>
public static partial class SprigFunctions
{
    private static readonly GoType SemverType = GoType.Custom("*semver.Version", true, v => v is SemverVersion);

    private static void RegisterSemver(GoFunctionTable t)
    {
        t.Add("semver", (_, a) => SemverVersion.Parse(Str(a[0])), [S]);
        t.Add("semverCompare", (_, a) => SemverConstraints.Parse(Str(a[0])).Check(SemverVersion.Parse(Str(a[1]))), [S, S]);
    }

    internal static GoType SemverParameter => SemverType;
}

/// <summary>A semantic version as Masterminds/semver v3 parses it leniently (NewVersion): <c>v1.2</c> is 1.2.0.</summary>
[GoTypeName("*semver.Version")]
internal sealed class SemverVersion : IGoMethods
{
    // Go's \s is [\t\n\f\r ]; .NET's would also take Unicode spaces.
    internal const string Space = @"[\t\n\f\r ]";

    private static readonly Regex VersionPattern = new(
        @"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?\z",
        RegexOptions.CultureInvariant);

    private SemverVersion(ulong major, ulong minor, ulong patch, string prerelease, string metadata, string original)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        Prerelease = prerelease;
        Metadata = metadata;
        Original = original;
    }

    public ulong Major { get; }
    public ulong Minor { get; }
    public ulong Patch { get; }
    public string Prerelease { get; }
    public string Metadata { get; }
    public string Original { get; }

    public SemverVersion IncPatch => Prerelease.Length > 0
        ? With(Major, Minor, Patch, "", "")
        : With(Major, Minor, Patch + 1, "", "");

    public SemverVersion IncMinor => With(Major, Minor + 1, 0, "", "");

    public SemverVersion IncMajor => With(Major + 1, 0, 0, "", "");

    /// <summary>NewVersion: the error texts are the library's (<c>Invalid Semantic Version</c>, …).</summary>
    public static SemverVersion Parse(string text)
    {
        var m = VersionPattern.Match(text);
        if (!m.Success)
        {
            throw new GoFunctionException("Invalid Semantic Version");
        }

        var version = new SemverVersion(Segment(m.Groups[1].Value), Segment(m.Groups[2].Value), Segment(m.Groups[3].Value),
            m.Groups[5].Value, m.Groups[8].Value, text);
        if (version.Prerelease.Length > 0)
        {
            foreach (var part in version.Prerelease.Split('.'))
            {
                if (part.Length > 1 && part[0] == '0' && part.All(char.IsAsciiDigit))
                {
                    throw new GoFunctionException("Version segment starts with 0");
                }
            }
        }

        return version;
    }

    private static ulong Segment(string text)
    {
        text = text.TrimStart('.');
        if (text.Length == 0)
        {
            return 0;
        }

        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new GoFunctionException($"Error parsing version segment: strconv.ParseUint: parsing \"{text}\": value out of range");
        }

        return value;
    }

    private SemverVersion With(ulong major, ulong minor, ulong patch, string prerelease, string metadata)
    {
        var vPrefix = Original.StartsWith('v') ? "v" : "";
        var next = new SemverVersion(major, minor, patch, prerelease, metadata, "");
        return new SemverVersion(major, minor, patch, prerelease, metadata, vPrefix + next);
    }

    public override string ToString() =>
        $"{Major}.{Minor}.{Patch}" + (Prerelease.Length > 0 ? "-" + Prerelease : "") + (Metadata.Length > 0 ? "+" + Metadata : "");

    /// <summary>-1, 0 or 1; metadata is ignored, a prerelease sorts before its release.</summary>
    public int CompareTo(SemverVersion other)
    {
        int d = Major.CompareTo(other.Major);
        if (d == 0)
        {
            d = Minor.CompareTo(other.Minor);
        }

        if (d == 0)
        {
            d = Patch.CompareTo(other.Patch);
        }

        if (d != 0)
        {
            return Math.Sign(d);
        }

        if (Prerelease.Length == 0 && other.Prerelease.Length == 0)
        {
            return 0;
        }

        if (Prerelease.Length == 0)
        {
            return 1;
        }

        if (other.Prerelease.Length == 0)
        {
            return -1;
        }

        return ComparePrerelease(Prerelease, other.Prerelease);
    }

    internal static int ComparePrerelease(string v, string o)
    {
        var sparts = v.Split('.');
        var oparts = o.Split('.');
        int n = Math.Max(sparts.Length, oparts.Length);
        for (int i = 0; i < n; i++)
        {
            int d = ComparePart(i < sparts.Length ? sparts[i] : "", i < oparts.Length ? oparts[i] : "");
            if (d != 0)
            {
                return d;
            }
        }
        return 0;
    }

    private static int ComparePart(string s, string o)
    {
        if (s == o)
        {
            return 0;
        }

        if (s.Length == 0)
        {
            return -1;
        }

        if (o.Length == 0)
        {
            return 1;
        }

        bool sNumeric = ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var si);
        bool oNumeric = ulong.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out var oi);
        if (!sNumeric && !oNumeric)
        {
            return string.CompareOrdinal(s, o) > 0 ? 1 : -1;
        }

        if (!oNumeric)
        {
            return -1;
        }

        if (!sNumeric)
        {
            return 1;
        }

        return si > oi ? 1 : -1;
    }

    public GoFunction? FindMethod(string name)
    {
        var other = SprigFunctions.SemverParameter;
        return name switch
        {
            "Compare" => new GoFunction(name, (_, a) => (long)CompareTo(Other(a[0])), [other]),
            "LessThan" => new GoFunction(name, (_, a) => CompareTo(Other(a[0])) < 0, [other]),
            "LessThanEqual" => new GoFunction(name, (_, a) => CompareTo(Other(a[0])) <= 0, [other]),
            "GreaterThan" => new GoFunction(name, (_, a) => CompareTo(Other(a[0])) > 0, [other]),
            "GreaterThanEqual" => new GoFunction(name, (_, a) => CompareTo(Other(a[0])) >= 0, [other]),
            "Equal" => new GoFunction(name, (_, a) => a[0] is SemverVersion o && CompareTo(o) == 0, [other]),
            _ => null,
        };
    }

    // Go dereferences a nil *Version here and panics; the template error says so.
    private static SemverVersion Other(object? value) =>
        value as SemverVersion ?? throw new GoFunctionException("runtime error: invalid memory address or nil pointer dereference");
}

/// <summary>Masterminds/semver v3.3.0 constraints: <c>=</c> <c>!=</c> <c>&gt;</c> <c>&lt;</c> <c>&gt;=</c> <c>&lt;=</c>
/// <c>~</c> <c>~&gt;</c> <c>^</c>, x-ranges, hyphen ranges, <c>,</c> or space for AND, <c>||</c> for OR.</summary>
internal sealed class SemverConstraints
{
    private const string Ops = @"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

    // The library writes [0-9|x|X|\*]: the '|' inside the class is literal, kept for the same acceptance.
    private const string Cv = @"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?" +
                              @"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?" +
                              @"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";

    private const string Sp = SemverVersion.Space;

    private static readonly Regex ConstraintPattern = new($@"^{Sp}*({Ops}){Sp}*({Cv}){Sp}*\z", RegexOptions.CultureInvariant);
    private static readonly Regex RangePattern = new($@"{Sp}*({Cv}){Sp}+-{Sp}+({Cv}){Sp}*", RegexOptions.CultureInvariant);
    private static readonly Regex FindPattern = new($@"({Ops}){Sp}*({Cv})", RegexOptions.CultureInvariant);
    private static readonly Regex ValidPattern = new(
        $@"^({Sp}*({Ops}){Sp}*({Cv}){Sp}*)((?:{Sp}+|,{Sp}*)({Ops}){Sp}*({Cv}){Sp}*)*\z", RegexOptions.CultureInvariant);

    private readonly List<List<Constraint>> _alternatives;

    private SemverConstraints(List<List<Constraint>> alternatives) => _alternatives = alternatives;

    public static SemverConstraints Parse(string text)
    {
        text = RewriteRanges(text);
        var alternatives = new List<List<Constraint>>();
        foreach (var segment in text.Split("||"))
        {
            if (!ValidPattern.IsMatch(segment))
            {
                throw new GoFunctionException("improper constraint: " + segment);
            }

            var parts = FindPattern.Matches(segment).Select(m => m.Value).ToList();
            if (parts.Count == 0)
            {
                parts.Add(segment);
            }

            alternatives.Add(parts.Select(Constraint.Parse).ToList());
        }
        return new SemverConstraints(alternatives);
    }

    /// <summary>"1.2 - 1.4.5" becomes "&gt;= 1.2, &lt;= 1.4.5 ".</summary>
    private static string RewriteRanges(string text)
    {
        var result = text;
        foreach (Match m in RangePattern.Matches(text))
        {
            int at = result.IndexOf(m.Value, StringComparison.Ordinal);
            result = result[..at] + $">= {m.Groups[1].Value}, <= {m.Groups[11].Value} " + result[(at + m.Value.Length)..];
        }
        return result;
    }

    public bool Check(SemverVersion version) => _alternatives.Any(all => all.All(c => c.Check(version)));

    private sealed class Constraint
    {
        private readonly string _op;
        private readonly SemverVersion _con;
        private readonly bool _dirty, _minorDirty, _patchDirty;

        private Constraint(string op, SemverVersion con, bool dirty, bool minorDirty, bool patchDirty)
        {
            _op = op;
            _con = con;
            _dirty = dirty;
            _minorDirty = minorDirty;
            _patchDirty = patchDirty;
        }

        public static Constraint Parse(string text)
        {
            var m = ConstraintPattern.Match(text);
            if (!m.Success)
            {
                throw new GoFunctionException("improper constraint: " + text);
            }

            string version = m.Groups[2].Value, major = m.Groups[3].Value, minor = m.Groups[4].Value.TrimStart('.'),
                patch = m.Groups[5].Value.TrimStart('.'), pre = m.Groups[6].Value;
            bool dirty = false, minorDirty = false, patchDirty = false;
            if (IsX(major) || major.Length == 0)
            {
                version = "0.0.0" + pre;
                dirty = true;
            }
            else if (IsX(minor) || minor.Length == 0)
            {
                version = $"{major}.0.0{pre}";
                dirty = minorDirty = true;
            }
            else if (IsX(patch) || patch.Length == 0)
            {
                version = $"{major}.{minor}.0{pre}";
                dirty = patchDirty = true;
            }
            SemverVersion con;
            try
            {
                con = SemverVersion.Parse(version);
            }
            catch (GoFunctionException)
            {
                throw new GoFunctionException("constraint Parser Error");
            }
            return new Constraint(m.Groups[1].Value, con, dirty, minorDirty, patchDirty);
        }

        private static bool IsX(string s) => s is "x" or "X" or "*";

        public bool Check(SemverVersion v)
        {
            // A prerelease only satisfies constraints that name a prerelease (except a plain !=).
            bool preBlocked = v.Prerelease.Length > 0 && _con.Prerelease.Length == 0;
            switch (_op)
            {
                case "" or "=":
                    if (preBlocked)
                    {
                        return false;
                    }

                    return _dirty ? Tilde(v) : v.CompareTo(_con) == 0;
                case "!=":
                    return NotEqual(v);
                case ">":
                    if (preBlocked)
                    {
                        return false;
                    }

                    if (!_dirty)
                    {
                        return v.CompareTo(_con) > 0;
                    }

                    if (v.Major != _con.Major)
                    {
                        return v.Major > _con.Major;
                    }

                    if (_minorDirty)
                    {
                        return false;
                    }

                    if (_patchDirty)
                    {
                        return v.Minor > _con.Minor;
                    }

                    return v.CompareTo(_con) > 0;
                case "<":
                    return !preBlocked && v.CompareTo(_con) < 0;
                case ">=" or "=>":
                    return !preBlocked && v.CompareTo(_con) >= 0;
                case "<=" or "=<":
                    if (preBlocked)
                    {
                        return false;
                    }

                    if (!_dirty)
                    {
                        return v.CompareTo(_con) <= 0;
                    }

                    if (v.Major > _con.Major)
                    {
                        return false;
                    }

                    return !(v.Major == _con.Major && v.Minor > _con.Minor && !_minorDirty);
                case "~" or "~>":
                    return !preBlocked && Tilde(v);
                default: // "^"
                    return !preBlocked && Caret(v);
            }
        }

        private bool NotEqual(SemverVersion v)
        {
            if (_dirty)
            {
                if (v.Prerelease.Length > 0 && _con.Prerelease.Length == 0)
                {
                    return false;
                }

                if (_con.Major != v.Major)
                {
                    return true;
                }

                if (_con.Minor != v.Minor && !_minorDirty)
                {
                    return true;
                }

                if (_minorDirty)
                {
                    return false;
                }

                if (_con.Patch != v.Patch && !_patchDirty)
                {
                    return true;
                }

                if (_patchDirty)
                {
                    return (v.Prerelease.Length > 0 || _con.Prerelease.Length > 0) &&
                           SemverVersion.ComparePrerelease(v.Prerelease, _con.Prerelease) != 0;
                }
            }
            return v.CompareTo(_con) != 0;
        }

        private bool Tilde(SemverVersion v)
        {
            if (v.CompareTo(_con) < 0)
            {
                return false;
            }

            if (_con.Major == 0 && _con.Minor == 0 && _con.Patch == 0 && !_minorDirty && !_patchDirty)
            {
                return true;
            }

            if (v.Major != _con.Major)
            {
                return false;
            }

            return v.Minor == _con.Minor || _minorDirty;
        }

        private bool Caret(SemverVersion v)
        {
            if (v.CompareTo(_con) < 0)
            {
                return false;
            }

            if (_con.Major > 0 || _minorDirty)
            {
                return v.Major == _con.Major;
            }

            if (v.Major > 0)
            {
                return false;
            }

            if (_con.Minor > 0 || _patchDirty)
            {
                return v.Minor == _con.Minor;
            }

            if (v.Minor > 0)
            {
                return false;
            }

            return v.Patch == _con.Patch;
        }
    }
}
