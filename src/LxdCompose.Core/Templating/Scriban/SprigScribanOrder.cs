namespace LxdCompose.Templating.Scriban;

/// <summary>Where a Go function takes its subject: the value a Scriban pipe hands over, written first in Scriban.</summary>
internal enum GoSubject
{
    /// <summary>Go's first (or only) argument: Scriban order is Go order. <c>hasKey m "k"</c>, <c>upper s</c>.</summary>
    First,

    /// <summary>Go's second argument, after a pattern or format: <c>regexReplaceAll re s repl</c>.</summary>
    Second,

    /// <summary>Go's last argument, as in sprig's pipe-friendly functions: <c>replace old new s</c>.</summary>
    Last,

    /// <summary>No subject (no arguments, or arguments of equal standing): Go order. <c>list</c>, <c>add</c>, <c>cat</c>.</summary>
    None,
}

/// <summary>
/// Scriban argument order for the native <c>sprig</c> object: the subject comes first (so <c>x | sprig.f a b</c> and
/// <c>sprig.f x a b</c> are the same call), the other arguments keep Go's relative order. The table names the
/// subject of every member of <c>sprig</c> in both profiles; ScribanSprigOrderTests checks that it is complete.
/// </summary>
internal static class SprigScribanOrder
{
    private static readonly (GoSubject Subject, string[] Names)[] Groups =
    [
        (GoSubject.Last,
        [
            // strings: `s | sprig.replace "a" "b"` is Go's `replace "a" "b" s`
            "abbrev", "abbrevboth", "trunc", "substr", "repeat", "trimAll", "trimall", "trimPrefix", "trimSuffix",
            "wrap", "wrapWith", "contains", "hasPrefix", "hasSuffix", "indent", "nindent", "replace", "plural",
            "split", "splitList", "splitn", "join",
            // lists and maps: the list searched or chunked, the map dug into
            "has", "mustHas", "chunk", "mustChunk", "dig",
            // values, types, regular expressions, dates, crypto, semver: the value tested or converted
            "default", "ternary", "required", "typeIs", "typeIsLike", "kindIs", "regexMatch", "mustRegexMatch",
            "regexFind", "mustRegexFind", "date", "dateModify", "date_modify", "mustDateModify", "must_date_modify",
            "toDate", "mustToDate", "encryptAES", "decryptAES", "semverCompare",
        ]),
        (GoSubject.Second,
        [
            // the input string after the pattern (or the time after the format), before the other arguments
            "regexFindAll", "mustRegexFindAll", "regexSplit", "mustRegexSplit", "regexReplaceAll",
            "mustRegexReplaceAll", "regexReplaceAllLiteral", "mustRegexReplaceAllLiteral", "dateInZone", "date_in_zone",
        ]),
        (GoSubject.First,
        [
            // lists and maps changed or read: `l | sprig.append x`, `m | sprig.hasKey "k"`
            "append", "push", "prepend", "mustAppend", "mustPush", "mustPrepend", "without", "mustWithout", "slice",
            "mustSlice", "get", "set", "unset", "hasKey", "pick", "omit", "merge", "mergeOverwrite", "mustMerge",
            "mustMergeOverwrite",
            // the first operand: `10 | sprig.sub 3` is 7
            "sub", "div", "mod", "subf", "divf", "round",
            // the time, the certificate's common name
            "htmlDateInZone", "genCA", "genCAWithKey", "genSelfSignedCert", "genSelfSignedCertWithKey", "genSignedCert",
            "genSignedCertWithKey",
            // one argument
            "add1", "add1f", "adler32sum", "ago", "atoi", "b32dec", "b32enc", "b64dec", "b64enc", "base", "bcrypt",
            "camelcase", "ceil", "clean", "compact", "deepCopy", "dir", "duration", "durationRound", "empty", "env",
            "expandenv", "ext", "fail", "first", "float64", "floor", "fromJson", "fromJsonArray", "fromToml", "fromYaml",
            "fromYamlArray", "genPrivateKey", "getHostByName", "htmlDate", "initial", "initials", "int", "int64", "isAbs",
            "kebabcase", "kindOf", "last", "lower", "mustCompact", "mustDeepCopy", "mustFirst", "mustFromJson",
            "mustInitial", "mustLast", "mustRest", "mustReverse", "mustToJson", "mustToPrettyJson", "mustToRawJson",
            "mustUniq", "nospace", "osBase", "osClean", "osDir", "osExt", "osIsAbs", "randAlpha", "randAlphaNum",
            "randAscii", "randBytes", "randNumeric", "regexQuoteMeta", "rest", "reverse", "semver", "sha1sum",
            "sha256sum", "sha512sum", "shuffle", "snakecase", "sortAlpha", "swapcase", "title", "toDecimal", "toJson",
            "toPrettyJson", "toRawJson", "toString", "toStrings", "toToml", "toYaml", "toYamlPretty", "trim", "typeOf",
            "uniq", "unixEpoch", "until", "untitle", "upper", "urlJoin", "urlParse", "values",
        ]),
        (GoSubject.None,
        [
            // no arguments
            "hello", "now", "uuidv4",
            // collections built from, or folded over, all arguments
            "list", "tuple", "dict", "concat", "keys", "pluck", "coalesce", "all", "any", "cat", "quote", "squote",
            "add", "addf", "mul", "mulf", "max", "maxf", "min", "minf", "biggest", "seq", "randInt", "untilStep",
            "deepEqual",
            // several inputs of equal standing
            "buildCustomCert", "derivePassword", "htpasswd",
        ]),
    ];

    /// <summary>Every classified function name and its subject.</summary>
    public static IReadOnlyDictionary<string, GoSubject> Subjects { get; } = BuildTable();

    /// <summary>The subject of <paramref name="function"/>; a function missing from the table is a programming error.</summary>
    public static GoSubject SubjectOf(string function) =>
        Subjects.TryGetValue(function, out var subject)
            ? subject
            : throw new InvalidOperationException($"sprig.{function} has no argument order in SprigScribanOrder");

    /// <summary>Rearranges Scriban-order arguments (subject first) into Go's order, in place.</summary>
    public static void ToGoOrder(List<object?> args, GoSubject subject)
    {
        if (args.Count < 2)
        {
            return;
        }

        int goIndex = subject switch
        {
            GoSubject.Second => 1,
            GoSubject.Last => args.Count - 1,
            _ => 0,
        };
        if (goIndex == 0)
        {
            return;
        }

        var value = args[0];
        args.RemoveAt(0);
        args.Insert(goIndex, value);
    }

    private static Dictionary<string, GoSubject> BuildTable()
    {
        var table = new Dictionary<string, GoSubject>(StringComparer.Ordinal);
        foreach (var (subject, names) in Groups)
        {
            foreach (var name in names)
            {
                if (!table.TryAdd(name, subject))
                {
                    throw new InvalidOperationException($"sprig.{name} is classified twice in SprigScribanOrder");
                }
            }
        }

        return table;
    }
}
