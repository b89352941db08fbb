using System.Diagnostics;
using System.Text;
using LxdCompose.Loading;
using LxdCompose.Specs;
using LxdCompose.Tests.Loading;
using Xunit;

namespace LxdCompose.Tests.Limits;

/// <summary>Files that are not plain text files, too large, or not valid text: problems with their path or position.</summary>
public sealed class InputFileTests
{
    private const string Project = "projects:\n- name: p\n  include_env_files: [vars/v.yml]\n";

    private static void CreateFifo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]))!;
        mkfifo.WaitForExit();
        Assert.True(mkfifo.ExitCode == 0, $"mkfifo {path} failed");
    }

    /// <summary>
    /// Loads in the background. Before the fix a FIFO blocked the load forever; after a timeout the test writes to the
    /// FIFO itself, so the blocked reader gets end-of-file and the test fails instead of hanging.
    /// </summary>
    private static SpecSet LoadWithin(TempSpecs specs, string fifo)
    {
        var load = Task.Run(() => specs.Load());
        if (!load.Wait(TimeSpan.FromSeconds(20)))
        {
            using (new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
            }

            load.Wait(TimeSpan.FromSeconds(20));
            Assert.Fail("loading blocked on the FIFO");
        }

        return load.Result;
    }

    [PosixShellFact]
    public void A_fifo_named_yml_in_an_env_dir_is_a_problem_with_its_path_and_is_never_opened()
    {
        using var specs = new TempSpecs();
        specs.Env("projects:\n- name: ok\n", "a.yml");
        CreateFifo(specs.PathOf("envs/b.yml"));
        var set = LoadWithin(specs, specs.PathOf("envs/b.yml"));
        Assert.Contains("Error NotARegularFile envs/b.yml:0:0", specs.Problems(set));
        Assert.Contains("FIFO", set.Diagnostics.First(d => d.Code == LoadCodes.NotARegularFile).Message);
        Assert.Equal(["ok"], set.Environments.SelectMany(e => e.Projects).Select(p => p.Name));
    }

    [PosixShellFact]
    public void A_fifo_as_a_config_template_source_is_a_validation_problem_and_is_never_opened()
    {
        using var specs = new TempSpecs();
        specs.Env("template_engine:\n  engine: mottainai\nprojects:\n- name: p\n  config_templates:\n" +
            "  - { source: templates/t.tmpl, dst: out/t.conf }\n");
        CreateFifo(specs.PathOf("envs/templates/t.tmpl"));
        var set = specs.Load();
        var validation = Task.Run(() => SpecValidator.Problems(set));
        if (!validation.Wait(TimeSpan.FromSeconds(20)))
        {
            using (new FileStream(specs.PathOf("envs/templates/t.tmpl"), FileMode.Open, FileAccess.Write))
            {
            }

            validation.Wait(TimeSpan.FromSeconds(20));
            Assert.Fail("validation blocked on the FIFO");
        }

        var problem = Assert.Single(validation.Result, d => d.Code == LoadCodes.NotARegularFile);
        Assert.Equal(DiagnosticSeverity.Error, problem.Severity);
        Assert.Contains("FIFO", problem.Message);
    }

    [PosixShellFact]
    public void A_fifo_as_an_included_vars_file_is_a_problem_with_its_path()
    {
        using var specs = new TempSpecs();
        specs.Env(Project);
        CreateFifo(specs.PathOf("envs/vars/v.yml"));
        var set = LoadWithin(specs, specs.PathOf("envs/vars/v.yml"));
        Assert.Contains("Error NotARegularFile envs/vars/v.yml:0:0", specs.Problems(set));
        Assert.Empty(set.Environments);
    }

    [PosixShellFact]
    public void A_symlink_to_a_fifo_is_refused_as_the_fifo_is()
    {
        using var specs = new TempSpecs();
        specs.Env(Project);
        CreateFifo(specs.PathOf("pipe"));
        Directory.CreateDirectory(specs.PathOf("envs/vars"));
        File.CreateSymbolicLink(specs.PathOf("envs/vars/v.yml"), specs.PathOf("pipe"));
        var set = LoadWithin(specs, specs.PathOf("pipe"));
        Assert.Contains("Error NotARegularFile envs/vars/v.yml:0:0", specs.Problems(set));
    }

    [PosixShellFact]
    public void A_device_as_a_vars_file_is_refused_without_reading_it()
    {
        // /dev/zero never ends: reading it would fill memory. Checked on its own first, so that a reader without
        // the check fails here instead of reading for ever.
        Assert.Throws<SpecException>(() => InputFiles.EnsureRegularFile("/dev/zero"));
        var e = Assert.Throws<SpecException>(() => ProjectVariables.LoadVarsFile("/dev/zero", null, null));
        Assert.Equal((LoadCodes.NotARegularFile, "/dev/zero"), (e.Diagnostic.Code, e.Diagnostic.File));
        Assert.Contains("character device", e.Message);
    }

    [Fact]
    public void A_file_larger_than_the_bound_is_refused_before_it_is_parsed()
    {
        using var specs = new TempSpecs();
        specs.Env(Project).Write("envs/vars/v.yml", string.Empty);
        using (var big = File.Create(specs.PathOf("envs/vars/v.yml")))
        {
            big.Write("envs:\n  k: v\n"u8);
            big.SetLength(InputFiles.MaxFileBytes + 1);
        }

        var set = specs.Load();
        Assert.Contains("Error FileTooLarge envs/vars/v.yml:0:0", specs.Problems(set));
    }

    [Fact]
    public void Invalid_utf8_is_a_load_error_at_its_line_and_column()
    {
        using var specs = new TempSpecs();
        specs.Env(Project).Write("envs/vars/v.yml", string.Empty);
        // A Latin-1 é in "café": line 2, column 12 (after "  name: caf").
        File.WriteAllBytes(specs.PathOf("envs/vars/v.yml"), [.. "envs:\n  name: caf"u8, 0xE9, .. "\n"u8]);
        var set = specs.Load();
        Assert.Contains("Error InvalidEncoding envs/vars/v.yml:2:12", specs.Problems(set));
        Assert.Contains("0xE9", set.Diagnostics.First(d => d.Code == LoadCodes.InvalidEncoding).Message);
    }

    [Fact]
    public void Invalid_utf8_in_the_config_file_is_an_error_at_its_position()
    {
        using var specs = new TempSpecs();
        File.WriteAllBytes(specs.PathOf(".lxd-compose.yml"), [.. "env_dirs: [envs]\n# \xC3"u8.ToArray()[..^1], 0xC3, 0x28, .. "\n"u8]);
        var e = Assert.Throws<SpecException>(() => specs.Load());
        Assert.Equal((LoadCodes.InvalidEncoding, 2, 3), (e.Diagnostic.Code, e.Diagnostic.Line, e.Diagnostic.Column));
    }

    public static TheoryData<string, byte[]> WellEncoded => new()
    {
        { "UTF-8", Encoding.UTF8.GetBytes("envs:\n  name: café\n") },
        { "UTF-8 with BOM", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("envs:\n  name: café\n")] },
        { "UTF-8, CRLF", Encoding.UTF8.GetBytes("envs:\r\n  name: café\r\n") },
        { "UTF-16 LE with BOM", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("envs:\r\n  name: café\r\n")] },
        { "UTF-16 BE with BOM", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes("envs:\n  name: café\n")] },
    };

    [Theory]
    [MemberData(nameof(WellEncoded))]
    public void Boms_utf16_with_a_bom_and_crlf_keep_working(string encoding, byte[] bytes)
    {
        using var specs = new TempSpecs();
        specs.Env(Project).Write("envs/vars/v.yml", string.Empty);
        File.WriteAllBytes(specs.PathOf("envs/vars/v.yml"), bytes);
        var environment = specs.LoadSingle();
        Assert.True(environment.Projects[0].Vars.Single().Envs["name"] is "café", encoding);
    }

    [Fact]
    public void Invalid_utf16_is_an_error_too()
    {
        var bytes = new byte[] { 0xFF, 0xFE, (byte)'a', 0, (byte)':', 0, (byte)' ', 0, 0x00, 0xD8, (byte)'b', 0 }; // lone high surrogate
        var e = Assert.Throws<SpecException>(() => InputFiles.Decode(bytes, "f.yml"));
        Assert.Equal((LoadCodes.InvalidEncoding, 1, 4), (e.Diagnostic.Code, e.Diagnostic.Line, e.Diagnostic.Column));
    }
}
