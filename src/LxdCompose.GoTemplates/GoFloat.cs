// Port of src/strconv/ftoa.go (Go 1.24).
using System.Globalization;
using System.Numerics;
using System.Text;

namespace LxdCompose.GoTemplates;

/// <summary>strconv.FormatFloat for the 'e', 'E', 'f', 'F', 'g', 'G' formats, shortest or with a precision.</summary>
internal static class GoFloat
{
    /// <summary>Decimal digits without leading or trailing zeros; value = 0.digits × 10^dp.</summary>
    private struct Digits
    {
        public string D;
        public int Dp;
    }

    public static string Format(double v, char fmt, int prec, int bitSize)
    {
        if (double.IsNaN(v))
        {
            return "NaN";
        }

        if (double.IsPositiveInfinity(v))
        {
            return "+Inf";
        }

        if (double.IsNegativeInfinity(v))
        {
            return "-Inf";
        }

        bool neg = v < 0 || (v == 0 && double.IsNegative(v));
        double abs = Math.Abs(v);
        bool shortest = prec < 0;
        Digits digs;
        if (shortest)
        {
            digs = Shortest(abs, bitSize);
            prec = fmt switch
            {
                'e' or 'E' => digs.D.Length - 1,
                'f' or 'F' => Math.Max(digs.D.Length - digs.Dp, 0),
                _ => digs.D.Length,
            };
        }
        else
        {
            digs = Exact(abs, bitSize);
            switch (fmt)
            {
                case 'e' or 'E':
                    Round(ref digs, prec + 1);
                    break;
                case 'f' or 'F':
                    Round(ref digs, digs.Dp + prec);
                    break;
                default:
                    if (prec == 0)
                    {
                        prec = 1;
                    }

                    Round(ref digs, prec);
                    break;
            }
        }
        var sb = new StringBuilder();
        switch (fmt)
        {
            case 'e' or 'E':
                FmtE(sb, neg, digs, prec, fmt);
                break;
            case 'f' or 'F':
                FmtF(sb, neg, digs, prec);
                break;
            default:
            {
                int eprec = prec;
                if (eprec > digs.D.Length && digs.D.Length >= digs.Dp)
                {
                    eprec = digs.D.Length;
                }
                // With the shortest representation, Go decides with precision 6 (so 1e+06, 100000).
                if (shortest)
                {
                    eprec = 6;
                }

                int exp = digs.Dp - 1;
                if (exp < -4 || exp >= eprec)
                {
                    if (prec > digs.D.Length)
                    {
                        prec = digs.D.Length;
                    }

                    FmtE(sb, neg, digs, prec - 1, fmt == 'g' ? 'e' : 'E');
                }
                else
                {
                    if (prec > digs.Dp)
                    {
                        prec = digs.D.Length;
                    }

                    FmtF(sb, neg, digs, Math.Max(prec - digs.Dp, 0));
                }
                break;
            }
        }
        return sb.ToString();
    }

    private static Digits Shortest(double v, int bitSize)
    {
        if (v == 0)
        {
            return new Digits { D = "", Dp = 0 };
        }

        string r = bitSize == 32
            ? ((float)v).ToString("R", CultureInfo.InvariantCulture)
            : v.ToString("R", CultureInfo.InvariantCulture);
        int e = r.IndexOfAny(['E', 'e']);
        int exp = 0;
        string mant = r;
        if (e >= 0)
        {
            exp = int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mant = r[..e];
        }
        int dot = mant.IndexOf('.');
        string intPart = dot >= 0 ? mant[..dot] : mant;
        string frac = dot >= 0 ? mant[(dot + 1)..] : "";
        return Normalize(intPart + frac, intPart.Length + exp);
    }

    private static Digits Exact(double v, int bitSize)
    {
        if (v == 0)
        {
            return new Digits { D = "", Dp = 0 };
        }

        if (bitSize == 32)
        {
            v = (float)v;
        }

        long bits = BitConverter.DoubleToInt64Bits(v);
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        exponent -= 1075;
        string digits;
        int dp;
        if (exponent >= 0)
        {
            digits = (new BigInteger(mantissa) << exponent).ToString(CultureInfo.InvariantCulture);
            dp = digits.Length;
        }
        else
        {
            digits = (new BigInteger(mantissa) * BigInteger.Pow(5, -exponent)).ToString(CultureInfo.InvariantCulture);
            dp = digits.Length + exponent;
        }
        return Normalize(digits, dp);
    }

    private static Digits Normalize(string digits, int dp)
    {
        int start = 0;
        while (start < digits.Length && digits[start] == '0')
        {
            start++;
            dp--;
        }
        int end = digits.Length;
        while (end > start && digits[end - 1] == '0')
        {
            end--;
        }

        if (start == end)
        {
            return new Digits { D = "", Dp = 0 };
        }

        return new Digits { D = digits[start..end], Dp = dp };
    }

    /// <summary>Rounds to nd digits, half to even on exact ties (digits are exact or shortest).</summary>
    private static void Round(ref Digits d, int nd)
    {
        if (nd < 0 || nd >= d.D.Length)
        {
            return;
        }

        bool up;
        if (d.D[nd] == '5' && nd + 1 == d.D.Length)
        {
            up = nd > 0 && (d.D[nd - 1] - '0') % 2 == 1;
        }
        else
        {
            up = d.D[nd] >= '5';
        }

        if (!up)
        {
            d = Normalize(d.D[..nd], d.Dp);
            return;
        }
        var chars = d.D[..nd].ToCharArray();
        int i = nd - 1;
        while (i >= 0 && chars[i] == '9')
        {
            i--;
        }

        if (i < 0)
        {
            d = new Digits { D = "1", Dp = d.Dp + 1 };
            return;
        }
        chars[i]++;
        d = Normalize(new string(chars, 0, i + 1), d.Dp);
    }

    private static void FmtE(StringBuilder sb, bool neg, Digits d, int prec, char fmt)
    {
        if (neg)
        {
            sb.Append('-');
        }

        sb.Append(d.D.Length == 0 ? '0' : d.D[0]);
        if (prec > 0)
        {
            sb.Append('.');
            int i = 1;
            int m = Math.Min(d.D.Length, prec + 1);
            if (i < m)
            {
                sb.Append(d.D, i, m - i);
                i = m;
            }
            for (; i <= prec; i++)
            {
                sb.Append('0');
            }
        }
        sb.Append(fmt);
        int exp = d.D.Length == 0 ? 0 : d.Dp - 1;
        sb.Append(exp < 0 ? '-' : '+');
        exp = Math.Abs(exp);
        if (exp < 10)
        {
            sb.Append('0').Append((char)('0' + exp));
        }
        else
        {
            sb.Append(exp.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void FmtF(StringBuilder sb, bool neg, Digits d, int prec)
    {
        if (neg)
        {
            sb.Append('-');
        }

        if (d.Dp > 0)
        {
            int m = Math.Min(d.D.Length, d.Dp);
            sb.Append(d.D, 0, m);
            for (; m < d.Dp; m++)
            {
                sb.Append('0');
            }
        }
        else
        {
            sb.Append('0');
        }

        if (prec > 0)
        {
            sb.Append('.');
            for (int i = 1; i <= prec; i++)
            {
                int j = d.Dp + i - 1;
                sb.Append(j >= 0 && j < d.D.Length ? d.D[j] : '0');
            }
        }
    }
}
