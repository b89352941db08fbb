namespace LxdCompose.Yaml;

/// <summary>
/// The bounds every YAML document is read within, the same as lxd-compose's YAML library (gopkg.in/yaml.v3), so that
/// a spec lxd-compose accepts loads here and a hostile one cannot exhaust the process (docs/limits.md).
/// </summary>
public static class YamlLimits
{
    /// <summary>Lists and maps nested deeper than this are an error (yaml.v3: "exceeded max depth of 10000").</summary>
    public const int MaxDepth = 10_000;

    /// <summary>Below this many decoded values, aliases are never refused (yaml.v3's decodeCount &gt; 1000).</summary>
    public const long AliasFreeNodes = 1_000;

    /// <summary>Below this many values copied by aliases, aliases are never refused (yaml.v3's aliasCount &gt; 100).</summary>
    public const long AliasFreeAliases = 100;

    private const long AliasRatioRangeLow = 400_000;
    private const long AliasRatioRangeHigh = 4_000_000;

    /// <summary>
    /// The share of decoded values that may be copies made by aliases, given how many values were decoded in all:
    /// 0.99 up to 400,000, falling linearly to 0.10 at 4,000,000 (yaml.v3's allowedAliasRatio).
    /// </summary>
    public static double AllowedAliasRatio(long decodeCount) => decodeCount switch
    {
        <= AliasRatioRangeLow => 0.99,
        >= AliasRatioRangeHigh => 0.10,
        _ => 0.99 - 0.89 * ((double)(decodeCount - AliasRatioRangeLow) / (AliasRatioRangeHigh - AliasRatioRangeLow)),
    };
}
