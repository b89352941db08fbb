using LxdCompose.Specs;

namespace LxdCompose.Loading;

/// <summary>Finds the config, scans env dirs, renders and parses every spec file, resolves includes.</summary>
public static class SpecLoader
{
    /// <summary>Reads the main config. Problems are fatal (<see cref="SpecException"/>).</summary>
    public static ComposeConfig LoadConfig(LoadOptions options) => throw new NotImplementedException("in progress");

    public static SpecSet Load(LoadOptions options, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("in progress");
}
