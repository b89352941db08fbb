using System.Text.RegularExpressions;
using LxdCompose.Deploy;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;

namespace LxdCompose.Maintenance;

/// <summary>Which images lxd-compose's <c>images purge</c> deletes; an image is chosen when any given rule picks it.</summary>
public sealed record ImagePurgeSelection
{
    /// <summary>Fingerprints (a prefix is enough) or aliases, with wildcards (<c>*</c> picks every image: <c>--all-images</c>).</summary>
    public IReadOnlyList<string> Names { get; init; } = Array.Empty<string>();

    /// <summary><c>--without-aliases</c>.</summary>
    public bool WithoutAlias { get; init; }

    /// <summary><c>--match</c>: regular expressions; an image with an alias matching one is chosen.</summary>
    public IReadOnlyList<string> AliasMatch { get; init; } = Array.Empty<string>();

    /// <summary>Also images an instance of the server was made from (LXD deletes them; the instances keep their file systems).</summary>
    public bool IncludeUsed { get; init; }

    public bool IsEmpty => Names.Count == 0 && !WithoutAlias && AliasMatch.Count == 0;
}

public enum ImagePurgeAction
{
    /// <summary>Chosen, and deleted (or to be deleted, in a plan).</summary>
    Remove,

    /// <summary>Chosen, but an instance of the server was made from it and -IncludeUsed was not given.</summary>
    KeepInUse,
}

/// <summary>One image a purge chose on one server, and what happened to it.</summary>
public sealed class ImagePurgeResult
{
    public string Remote { get; init; } = string.Empty;
    public string Fingerprint { get; init; } = string.Empty;
    public IReadOnlyList<string> Aliases { get; init; } = Array.Empty<string>();
    public string Description { get; init; } = string.Empty;
    public long Size { get; init; }
    /// <summary>The instances of the server made from the image (their <c>volatile.base_image</c>).</summary>
    public IReadOnlyList<string> UsedBy { get; init; } = Array.Empty<string>();
    public ImagePurgeAction Action { get; init; }
    /// <summary>True once the server deleted it.</summary>
    public bool Removed { get; init; }

    public string ShortFingerprint => Fingerprint.Length > 12 ? Fingerprint[..12] : Fingerprint;

    public override string ToString() => $"{Remote}: {ShortFingerprint}";
}

/// <summary>lxd-compose images purge: chooses images of a server and deletes them, keeping those instances use unless asked.</summary>
public static class ImagePurge
{
    /// <summary>What the selection chooses on <paramref name="server"/>, in the server's order; nothing is changed.</summary>
    public static async Task<IReadOnlyList<ImagePurgeResult>> PlanAsync(ILxdServer server, string remote, ImagePurgeSelection selection,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(selection);
        var matches = selection.AliasMatch.Select(p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))).ToList();
        var images = await server.Images.ListAsync(cancellationToken).ConfigureAwait(false);
        var instances = await server.Instances.ListAsync(cancellationToken).ConfigureAwait(false);
        var users = instances
            .Select(i => (i.Name, Image: i.Config.GetValueOrDefault("volatile.base_image") ?? string.Empty))
            .Where(u => u.Image.Length > 0)
            .ToLookup(u => u.Image, u => u.Name, StringComparer.Ordinal);
        return images.Where(image => Chosen(image, selection, matches)).Select(image =>
        {
            var usedBy = users[image.Fingerprint].Order(StringComparer.Ordinal).ToList();
            return new ImagePurgeResult
            {
                Remote = remote,
                Fingerprint = image.Fingerprint,
                Aliases = image.Aliases.Select(a => a.Name).ToList(),
                Description = image.Properties.GetValueOrDefault("description") ?? string.Empty,
                Size = image.Size,
                UsedBy = usedBy,
                Action = usedBy.Count > 0 && !selection.IncludeUsed ? ImagePurgeAction.KeepInUse : ImagePurgeAction.Remove,
            };
        }).ToList();
    }

    /// <summary>Deletes one image the plan chose to remove (waits for the server); returns it as removed.</summary>
    public static async Task<ImagePurgeResult> RemoveAsync(ILxdServer server, ImagePurgeResult planned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(planned);
        if (planned.Action != ImagePurgeAction.Remove)
        {
            throw new InvalidOperationException($"The image {planned.Fingerprint} is not to be removed ({planned.Action}).");
        }

        await server.Images.DeleteAsync(planned.Fingerprint, cancellationToken).ConfigureAwait(false);
        return new ImagePurgeResult
        {
            Remote = planned.Remote, Fingerprint = planned.Fingerprint, Aliases = planned.Aliases, Description = planned.Description,
            Size = planned.Size, UsedBy = planned.UsedBy, Action = planned.Action, Removed = true,
        };
    }

    internal static bool Chosen(LxdImage image, ImagePurgeSelection selection, IReadOnlyList<Regex> aliasMatches)
    {
        var aliases = image.Aliases.Select(a => a.Name).ToList();
        if (selection.WithoutAlias && aliases.Count == 0)
        {
            return true;
        }

        if (aliasMatches.Any(m => aliases.Any(m.IsMatch)))
        {
            return true;
        }

        foreach (var name in selection.Names)
        {
            var pattern = Wildcard.ToRegex(name);
            if (pattern.IsMatch(image.Fingerprint) || aliases.Any(pattern.IsMatch)
                || (!Wildcard.ContainsWildcard(name) && image.Fingerprint.StartsWith(name, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }
}
