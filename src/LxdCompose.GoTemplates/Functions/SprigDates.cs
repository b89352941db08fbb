// Port of date.go (Masterminds/sprig v3.3.0 and v2.22.0), with the layouts of src/time/format.go (Go 1.24).
using System.Globalization;
using System.Text;

namespace LxdCompose.GoTemplates.Functions;

public static partial class SprigFunctions
{
    private static readonly GoType Time = GoType.Custom("time.Time", false, v => v is DateTimeOffset);

    private static void RegisterDates(GoFunctionTable t, SprigVersion version, SprigEnvironment env)
    {
        bool v3 = version == SprigVersion.V3;
        DateTimeOffset AsTime(object? d) => d switch
        {
            DateTimeOffset dto => dto,
            long l => DateTimeOffset.FromUnixTimeSeconds(l),
            int i => DateTimeOffset.FromUnixTimeSeconds(i),
            _ => env.Now(),
        };
        TimeZoneInfo Zone(string name)
        {
            if (name == "Local")
            {
                return env.LocalZone;
            }

            if (name is "" or "UTC")
            {
                return TimeZoneInfo.Utc;
            }

            try
            { return TimeZoneInfo.FindSystemTimeZoneById(name); }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException) { return TimeZoneInfo.Utc; }
        }
        string DateInZone(string layout, object? date, string zone)
        {
            var z = Zone(zone);
            return GoTime.Format(TimeZoneInfo.ConvertTime(AsTime(date), z), layout, z);
        }
        t.Add("now", (_, _) => env.Now(), []);
        t.Add("date", (_, a) => DateInZone(Str(a[0]), a[1], "Local"), [S, A]);
        t.Add("dateInZone", (_, a) => DateInZone(Str(a[0]), a[1], Str(a[2])), [S, A, S]);
        t.Add("date_in_zone", (_, a) => DateInZone(Str(a[0]), a[1], Str(a[2])), [S, A, S]);
        t.Add("htmlDate", (_, a) => DateInZone("2006-01-02", a[0], "Local"), [A]);
        t.Add("htmlDateInZone", (_, a) => DateInZone("2006-01-02", a[0], Str(a[1])), [A, S]);
        GoFunctionBody dateModify = (_, a) => GoTime.TryParseDuration(Str(a[0]), out var d) ? ((DateTimeOffset)a[1]!).AddTicks(d / 100) : a[1];
        t.Add("dateModify", dateModify, [S, Time]);
        t.Add("date_modify", dateModify, [S, Time]);
        t.Add("unixEpoch", (_, a) => ((DateTimeOffset)a[0]!).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), [Time]);
        t.Add("ago", (_, a) =>
        {
            var since = env.Now() - (a[0] is DateTimeOffset or long ? AsTime(a[0]) : env.Now());
            long ns = since.Ticks * 100;
            long rounded = (long)Math.Round(ns / 1e9, MidpointRounding.AwayFromZero) * 1_000_000_000L;
            return GoTime.FormatDuration(rounded);
        }, [A]);
        t.Add("toDate", (_, a) => GoTime.TryParse(Str(a[0]), Str(a[1]), env.LocalZone, out var r, out string? _unused) ? r : GoTime.ZeroTime, [S, S]);
        if (!v3)
        {
            return;
        }

        t.Add("mustDateModify", (_, a) => GoTime.TryParseDuration(Str(a[0]), out var d)
            ? ((DateTimeOffset)a[1]!).AddTicks(d / 100)
            : throw new GoFunctionException($"time: invalid duration {GoFormat.Quote(Str(a[0]))}"), [S, Time]);
        t.Add("must_date_modify", (_, a) => GoTime.TryParseDuration(Str(a[0]), out var d)
            ? ((DateTimeOffset)a[1]!).AddTicks(d / 100)
            : throw new GoFunctionException($"time: invalid duration {GoFormat.Quote(Str(a[0]))}"), [S, Time]);
        t.Add("mustToDate", (_, a) => GoTime.TryParse(Str(a[0]), Str(a[1]), env.LocalZone, out var r, out var failure) ? r : throw new GoFunctionException(failure!), [S, S]);
        t.Add("duration", (_, a) =>
        {
            long n = a[0] switch
            {
                string s => GoStrconv.ParseInt(s, 10, out long p) ? p : 0,
                long l => l,
                _ => 0,
            };
            return GoTime.FormatDuration(unchecked(n * 1_000_000_000L));
        }, [A]);
        t.Add("durationRound", (_, a) =>
        {
            long d = a[0] switch
            {
                string s => GoTime.TryParseDuration(s, out var p) ? p : 0,
                long l => l,
                DateTimeOffset dto => (env.Now() - dto).Ticks * 100,
                _ => 0,
            };
            ulong u = d < 0 ? (ulong)(-d) : (ulong)d;
            const ulong second = 1_000_000_000UL, minute = 60 * second, hour = 60 * minute, day = 24 * hour;
            const ulong month = 30 * day, year = 365 * day;
            if (u > year)
            {
                return (u / year).ToString(CultureInfo.InvariantCulture) + "y";
            }

            if (u > month)
            {
                return (u / month).ToString(CultureInfo.InvariantCulture) + "mo";
            }

            if (u > day)
            {
                return (u / day).ToString(CultureInfo.InvariantCulture) + "d";
            }

            if (u > hour)
            {
                return (u / hour).ToString(CultureInfo.InvariantCulture) + "h";
            }

            if (u > minute)
            {
                return (u / minute).ToString(CultureInfo.InvariantCulture) + "m";
            }

            if (u > second)
            {
                return (u / second).ToString(CultureInfo.InvariantCulture) + "s";
            }

            return "0s";
        }, [A]);
    }
}

/// <summary>Go's time package pieces sprig needs: layout formatting and parsing, durations.</summary>
internal static class GoTime
{
    public static readonly DateTimeOffset ZeroTime = new(1, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] ShortDays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] LongDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] ShortMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    private static readonly string[] LongMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    // Layout elements, longest first where one is a prefix of another.
    private static readonly string[] Elements =
    [
        "January", "Jan", "Monday", "Mon", "MST",
        "2006", "2", "_2", "__2", "002", "01", "02", "03", "04", "05", "06", "1", "15", "3", "4", "5",
        "PM", "pm", "-07:00:00", "-0700", "-07:00", "-070000", "-07", "Z07:00:00", "Z0700", "Z07:00", "Z070000", "Z07",
    ];

    private static (string? elem, int len) NextElement(string layout, int i)
    {
        string rest = layout[i..];
        string? best = null;
        foreach (var e in Elements)
        {
            if (rest.StartsWith(e, StringComparison.Ordinal) && (best == null || e.Length > best.Length))
            {
                if (e == "Jan" && rest.StartsWith("January", StringComparison.Ordinal))
                {
                    continue;
                }

                if (e == "Mon" && (rest.StartsWith("Monday", StringComparison.Ordinal)))
                {
                    continue;
                }

                if (e == "Mon" && rest.Length > 3 && char.IsAsciiLetterLower(rest[3]))
                {
                    continue;
                }

                best = e;
            }
        }
        if (best == null && rest.Length >= 2 && rest[0] is '.' or ',' && rest[1] is '0' or '9')
        {
            int j = 1;
            while (j < rest.Length && rest[j] == rest[1])
            {
                j++;
            }

            if (j == rest.Length || !char.IsAsciiDigit(rest[j]))
            {
                return (rest[..j], j);
            }
        }
        return (best, best?.Length ?? 0);
    }

    public static string Format(DateTimeOffset t, string layout, TimeZoneInfo zone)
    {
        var sb = new StringBuilder(layout.Length + 10);
        int i = 0;
        while (i < layout.Length)
        {
            var (elem, len) = NextElement(layout, i);
            if (elem == null)
            {
                sb.Append(layout[i]);
                i++;
                continue;
            }
            i += len;
            int hour12 = t.Hour % 12 == 0 ? 12 : t.Hour % 12;
            TimeSpan off = t.Offset;
            switch (elem)
            {
                case "2006":
                    sb.Append(t.Year.ToString("D4", CultureInfo.InvariantCulture));
                    break;
                case "06":
                    sb.Append((t.Year % 100).ToString("D2", CultureInfo.InvariantCulture));
                    break;
                case "01":
                    sb.Append(t.Month.ToString("D2", CultureInfo.InvariantCulture));
                    break;
                case "1":
                    sb.Append(t.Month.ToString(CultureInfo.InvariantCulture));
                    break;
                case "Jan":
                    sb.Append(ShortMonths[t.Month - 1]);
                    break;
                case "January":
                    sb.Append(LongMonths[t.Month - 1]);
                    break;
                case "02":
                    sb.Append(t.Day.ToString("D2", CultureInfo.InvariantCulture));
                    break;
                case "2":
                    sb.Append(t.Day.ToString(CultureInfo.InvariantCulture));
                    break;
                case "_2":
                    sb.Append(t.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2));
                    break;
                case "__2":
                    sb.Append(t.DayOfYear.ToString(CultureInfo.InvariantCulture).PadLeft(3));
                    break;
                case "002":
                    sb.Append(t.DayOfYear.ToString("D3", CultureInfo.InvariantCulture));
                    break;
                case "15":
                    sb.Append(t.Hour.ToString("D2", CultureInfo.InvariantCulture));
                    break;
                case "3":
                    sb.Append(hour12.ToString(CultureInfo.InvariantCulture));
                    break;
                case "03":
                    sb.Append(hour12.ToString("D2", CultureInfo.InvariantCulture));
                    break;
                case "04":
                    sb.Append(t.Minute.ToString("D2", CultureInfo.InvariantCulture));
                    break;
                case "4":
                    sb.Append(t.Minute.ToString(CultureInfo.InvariantCulture));
                    break;
                case "05":
                    sb.Append(t.Second.ToString("D2", CultureInfo.InvariantCulture));
                    break;
                case "5":
                    sb.Append(t.Second.ToString(CultureInfo.InvariantCulture));
                    break;
                case "PM":
                    sb.Append(t.Hour >= 12 ? "PM" : "AM");
                    break;
                case "pm":
                    sb.Append(t.Hour >= 12 ? "pm" : "am");
                    break;
                case "Mon":
                    sb.Append(ShortDays[(int)t.DayOfWeek]);
                    break;
                case "Monday":
                    sb.Append(LongDays[(int)t.DayOfWeek]);
                    break;
                case "MST":
                    sb.Append(ZoneAbbreviation(zone, t));
                    break;
                default:
                    if (elem[0] is '.' or ',')
                    {
                        long nanos = t.Ticks % TimeSpan.TicksPerSecond * 100;
                        string digits = nanos.ToString("D9", CultureInfo.InvariantCulture)[..Math.Min(9, elem.Length - 1)];
                        if (elem[1] == '9')
                        {
                            digits = digits.TrimEnd('0');
                            if (digits.Length > 0)
                            {
                                sb.Append(elem[0]).Append(digits);
                            }
                        }
                        else
                        {
                            sb.Append(elem[0]).Append(digits);
                        }
                    }
                    else if (elem[0] is 'Z' && off == TimeSpan.Zero)
                    {
                        sb.Append('Z');
                    }
                    else
                    {
                        bool neg = off < TimeSpan.Zero;
                        var a = off.Duration();
                        sb.Append(neg ? '-' : '+').Append(a.Hours.ToString("D2", CultureInfo.InvariantCulture));
                        string body = elem.TrimStart('Z', '-');
                        if (body.Length > 2)
                        {
                            if (body.Contains(':'))
                            {
                                sb.Append(':');
                            }

                            sb.Append(a.Minutes.ToString("D2", CultureInfo.InvariantCulture));
                        }
                        if (body.Length > 5 || body == "070000")
                        {
                            if (body.Contains(':'))
                            {
                                sb.Append(':');
                            }

                            sb.Append(a.Seconds.ToString("D2", CultureInfo.InvariantCulture));
                        }
                    }
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Go prints zone abbreviations (CET, UTC); .NET has none, so a known zone prints like Go's unnamed zones (+01).</summary>
    private static string ZoneAbbreviation(TimeZoneInfo zone, DateTimeOffset t)
    {
        if (zone == TimeZoneInfo.Utc || zone.Id is "UTC" or "Etc/UTC")
        {
            return "UTC";
        }

        var off = t.Offset;
        var sign = off < TimeSpan.Zero ? "-" : "+";
        var a = off.Duration();
        return a.Minutes == 0 ? sign + a.Hours.ToString("D2", CultureInfo.InvariantCulture)
            : sign + a.Hours.ToString("D2", CultureInfo.InvariantCulture) + a.Minutes.ToString("D2", CultureInfo.InvariantCulture);
    }

    /// <summary>time.ParseInLocation for numeric layouts (year, month, day, hour, minute, second, fraction, zone offsets, month/day names).</summary>
    public static bool TryParse(string layout, string value, TimeZoneInfo local, out DateTimeOffset result, out string? error)
    {
        result = ZeroTime;
        error = null;
        int year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0;
        long nanos = 0;
        bool pm = false, pmSet = false;
        TimeSpan? offset = null;
        int i = 0, v = 0;
        string Fail() => $"parsing time {GoFormat.Quote(value)} as {GoFormat.Quote(layout)}: cannot parse {GoFormat.Quote(value[Math.Min(v, value.Length)..])} as {GoFormat.Quote(layout[Math.Min(i, layout.Length)..])}";
        bool Digits(int min, int max, out int n)
        {
            n = 0;
            int start = v;
            while (v < value.Length && v - start < max && char.IsAsciiDigit(value[v]))
            {
                n = n * 10 + (value[v++] - '0');
            }

            return v - start >= min;
        }
        while (i < layout.Length)
        {
            var (elem, len) = NextElement(layout, i);
            if (elem == null)
            {
                if (v >= value.Length || value[v] != layout[i])
                { error = Fail(); return false; }
                i++;
                v++;
                continue;
            }
            bool ok = true;
            switch (elem)
            {
                case "2006":
                    ok = Digits(4, 4, out year);
                    break;
                case "06":
                    ok = Digits(2, 2, out year);
                    year += year >= 69 ? 1900 : 2000;
                    break;
                case "01":
                    ok = Digits(2, 2, out month);
                    break;
                case "1":
                    ok = Digits(1, 2, out month);
                    break;
                case "02":
                    ok = Digits(2, 2, out day);
                    break;
                case "2" or "_2":
                    if (elem == "_2" && v < value.Length && value[v] == ' ')
                    {
                        v++;
                    }

                    ok = Digits(1, 2, out day);
                    break;
                case "15":
                    ok = Digits(1, 2, out hour);
                    break;
                case "3" or "03":
                    ok = Digits(elem.Length, 2, out hour);
                    break;
                case "04" or "4":
                    ok = Digits(elem.Length, 2, out minute);
                    break;
                case "05" or "5":
                    ok = Digits(elem.Length, 2, out second);
                    break;
                case "PM" or "pm":
                    if (v + 2 <= value.Length)
                    {
                        var ap = value.Substring(v, 2).ToUpperInvariant();
                        ok = ap is "AM" or "PM";
                        pm = ap == "PM";
                        pmSet = true;
                        v += 2;
                    }
                    else
                    {
                        ok = false;
                    }

                    break;
                case "Jan" or "January" or "Mon" or "Monday":
                {
                    var names = elem switch { "Jan" => ShortMonths, "January" => LongMonths, "Mon" => ShortDays, _ => LongDays };
                    int idx = Array.FindIndex(names, n => string.Compare(value, v, n, 0, n.Length, StringComparison.OrdinalIgnoreCase) == 0);
                    ok = idx >= 0;
                    if (ok)
                    {
                        v += names[idx].Length;
                        if (elem.StartsWith("Jan", StringComparison.Ordinal))
                        {
                            month = idx + 1;
                        }
                    }
                    break;
                }
                case "MST":
                {
                    int start = v;
                    while (v < value.Length && char.IsAsciiLetterUpper(value[v]))
                    {
                        v++;
                    }

                    ok = v - start >= 3;
                    if (ok && value[start..v] == "UTC")
                    {
                        offset = TimeSpan.Zero;
                    }

                    break;
                }
                default:
                    if (elem[0] is '.' or ',')
                    {
                        if (v < value.Length && value[v] is '.' or ',')
                        {
                            v++;
                            int start = v;
                            while (v < value.Length && char.IsAsciiDigit(value[v]))
                            {
                                v++;
                            }

                            var frac = value[start..v].PadRight(9, '0')[..9];
                            nanos = long.Parse(frac, CultureInfo.InvariantCulture);
                            ok = elem[1] == '9' || v - start == elem.Length - 1;
                        }
                        else
                        {
                            ok = elem[1] == '9';
                        }
                    }
                    else if (elem[0] == 'Z' && v < value.Length && value[v] == 'Z')
                    {
                        v++;
                        offset = TimeSpan.Zero;
                    }
                    else
                    {
                        if (v >= value.Length || value[v] is not ('+' or '-'))
                        { ok = false; break; }
                        bool neg = value[v++] == '-';
                        ok = Digits(2, 2, out int oh);
                        int om = 0, os = 0;
                        string body = elem.TrimStart('Z', '-');
                        if (ok && body.Length > 2)
                        {
                            if (body.Contains(':') && (v >= value.Length || value[v++] != ':'))
                            { ok = false; break; }
                            ok = Digits(2, 2, out om);
                        }
                        if (ok && (body.Length > 5 || body == "070000"))
                        {
                            if (body.Contains(':') && (v >= value.Length || value[v++] != ':'))
                            { ok = false; break; }
                            ok = Digits(2, 2, out os);
                        }
                        var span = new TimeSpan(oh, om, os);
                        offset = neg ? -span : span;
                    }
                    break;
            }
            if (!ok)
            { error = Fail(); return false; }
            i += len;
        }
        if (v != value.Length)
        {
            error = $"parsing time {GoFormat.Quote(value)}: extra text: {GoFormat.Quote(value[v..])}";
            return false;
        }
        if (pmSet)
        {
            if (pm && hour < 12)
            {
                hour += 12;
            }
            else if (!pm && hour == 12)
            {
                hour = 0;
            }
        }
        try
        {
            var local_ = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(nanos / 100);
            result = offset is { } o ? new DateTimeOffset(local_, o) : new DateTimeOffset(local_, local.GetUtcOffset(local_));
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            error = $"parsing time {GoFormat.Quote(value)}: day out of range";
            return false;
        }
    }

    /// <summary>time.ParseDuration into nanoseconds.</summary>
    public static bool TryParseDuration(string s, out long nanos)
    {
        nanos = 0;
        if (s.Length == 0)
        {
            return false;
        }

        int i = 0;
        bool neg = false;
        if (s[0] is '-' or '+')
        {
            neg = s[0] == '-';
            i++;
        }
        if (i < s.Length && s[i..] == "0")
        {
            return true;
        }

        if (i >= s.Length)
        {
            return false;
        }

        decimal total = 0;
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (i == start || !decimal.TryParse(s[start..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }

            int us = i;
            while (i < s.Length && !(char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            decimal unit = s[us..i] switch
            {
                "ns" => 1m,
                "us" or "µs" or "μs" => 1e3m,
                "ms" => 1e6m,
                "s" => 1e9m,
                "m" => 60e9m,
                "h" => 3600e9m,
                _ => -1m,
            };
            if (unit < 0)
            {
                return false;
            }

            total += n * unit;
            if (total > long.MaxValue)
            {
                return false;
            }
        }
        nanos = (long)decimal.Truncate(neg ? -total : total);
        return true;
    }

    /// <summary>time.Duration.String.</summary>
    public static string FormatDuration(long d)
    {
        if (d == 0)
        {
            return "0s";
        }

        bool neg = d < 0;
        ulong u = neg ? (ulong)(-(d + 1)) + 1 : (ulong)d;
        string body;
        if (u < 1_000_000_000UL)
        {
            if (u < 1000)
            {
                body = u.ToString(CultureInfo.InvariantCulture) + "ns";
            }
            else if (u < 1_000_000)
            {
                body = Frac(u, 3) + "µs";
            }
            else
            {
                body = Frac(u, 6) + "ms";
            }
        }
        else
        {
            ulong secsTotal = u / 1_000_000_000UL;
            ulong fracNs = u % 1_000_000_000UL;
            ulong hours = secsTotal / 3600, mins = secsTotal / 60 % 60, secs = secsTotal % 60;
            var sb = new StringBuilder();
            if (hours > 0)
            {
                sb.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
            }

            if (hours > 0 || mins > 0)
            {
                sb.Append(mins.ToString(CultureInfo.InvariantCulture)).Append('m');
            }

            sb.Append(secs.ToString(CultureInfo.InvariantCulture));
            if (fracNs > 0)
            {
                sb.Append('.').Append(fracNs.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0'));
            }

            sb.Append('s');
            body = sb.ToString();
        }
        return neg ? "-" + body : body;
    }

    private static string Frac(ulong v, int digits)
    {
        ulong div = (ulong)Math.Pow(10, digits);
        var whole = (v / div).ToString(CultureInfo.InvariantCulture);
        var frac = (v % div).ToString("D" + digits, CultureInfo.InvariantCulture).TrimEnd('0');
        return frac.Length > 0 ? whole + "." + frac : whole;
    }
}
