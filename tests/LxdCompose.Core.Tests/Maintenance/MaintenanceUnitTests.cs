using System.Text.RegularExpressions;
using LxdCompose.Lxd.Api;
using LxdCompose.Maintenance;
using Xunit;

namespace LxdCompose.Tests.Maintenance;

/// <summary>Which backups and which images the maintenance commands choose, without a server.</summary>
public sealed class MaintenanceUnitTests
{
    [Fact]
    public void Backups_of_an_instance_are_its_dated_names_oldest_first_and_the_surplus_is_the_oldest()
    {
        var names = new[] { "web1-20260103", "web1", "web1-20260101", "web10-20260102", "web1-2026010", "web1-20260102" };
        var backups = NodeBackup.BackupsOf("web1", names);
        Assert.Equal(new[] { "web1-20260101", "web1-20260102", "web1-20260103" }, backups);
        Assert.Equal(new[] { "web1-20260101" }, NodeBackup.Surplus(backups, 2));
        Assert.Empty(NodeBackup.Surplus(backups, 0));
        Assert.Equal("web1-20260704", NodeBackup.BackupName("web1", new DateOnly(2026, 7, 4)));
    }

    [Fact]
    public void Purge_chooses_by_fingerprint_prefix_alias_wildcard_alias_regex_or_no_alias()
    {
        var aliased = new LxdImage { Fingerprint = "abcdef0123", Aliases = { new LxdImageAliasRef { Name = "mc/web" } } };
        var bare = new LxdImage { Fingerprint = "9876543210" };
        bool Chosen(LxdImage image, ImagePurgeSelection selection) =>
            ImagePurge.Chosen(image, selection, selection.AliasMatch.Select(p => new Regex(p)).ToList());

        Assert.True(Chosen(aliased, new ImagePurgeSelection { Names = new[] { "abcd" } }));
        Assert.True(Chosen(aliased, new ImagePurgeSelection { Names = new[] { "mc/*" } }));
        Assert.False(Chosen(bare, new ImagePurgeSelection { Names = new[] { "mc/*" } }));
        Assert.True(Chosen(bare, new ImagePurgeSelection { Names = new[] { "*" } }));
        Assert.True(Chosen(aliased, new ImagePurgeSelection { AliasMatch = new[] { "^mc/" } }));
        Assert.False(Chosen(aliased, new ImagePurgeSelection { WithoutAlias = true }));
        Assert.True(Chosen(bare, new ImagePurgeSelection { WithoutAlias = true }));
        Assert.True(new ImagePurgeSelection().IsEmpty);
    }
}
