using System.Reflection;
using LxdCompose.Lxd;
using LxdCompose.Specs;
using Xunit;

namespace LxdCompose.Tests.Lxd;

/// <summary>The client's shape: wire types never share a name with spec types, and every area is behind its interface.</summary>
public sealed class ApiShapeConventionTests
{
    private static readonly Assembly Core = typeof(LxdClient).Assembly;

    [Fact]
    public void No_wire_type_has_the_name_of_a_spec_type()
    {
        var specs = Core.GetTypes().Where(t => t.Namespace == typeof(LxdProject).Namespace && t.IsPublic).Select(t => t.Name).ToHashSet();
        var wire = Core.GetTypes().Where(t => t.Namespace == "LxdCompose.Lxd.Api" && t.IsPublic).Select(t => t.Name).ToList();
        Assert.NotEmpty(wire);
        Assert.Equal(Array.Empty<string>(), wire.Where(specs.Contains).ToArray());
    }

    [Theory]
    [InlineData(typeof(LxdInstances), typeof(ILxdInstances))]
    [InlineData(typeof(LxdImages), typeof(ILxdImages))]
    [InlineData(typeof(LxdExec), typeof(ILxdExec))]
    [InlineData(typeof(LxdFiles), typeof(ILxdFiles))]
    [InlineData(typeof(LxdOperations), typeof(ILxdOperations))]
    [InlineData(typeof(LxdProfiles), typeof(ILxdCollection<LxdCompose.Lxd.Api.ServerProfile>))]
    [InlineData(typeof(LxdStoragePools), typeof(ILxdCollection<LxdCompose.Lxd.Api.ServerStoragePool>))]
    [InlineData(typeof(LxdNetworks), typeof(ILxdNetworks))]
    [InlineData(typeof(LxdNetworkAcls), typeof(ILxdCollection<LxdCompose.Lxd.Api.ServerNetworkAcl>))]
    [InlineData(typeof(LxdCertificates), typeof(ILxdCertificates))]
    public void Every_public_call_of_an_api_area_is_on_its_interface(Type area, Type contract)
    {
        Assert.True(contract.IsAssignableFrom(area));
        var declared = contract.GetMethods().Concat(contract.GetInterfaces().SelectMany(i => i.GetMethods())).Select(Signature).ToHashSet();
        var calls = area.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.DeclaringType != typeof(object) && !m.IsSpecialName)
            .Select(Signature)
            .ToList();
        Assert.NotEmpty(calls);
        Assert.Equal(Array.Empty<string>(), calls.Where(c => !declared.Contains(c)).ToArray());
    }

    private static string Signature(MethodInfo method) =>
        $"{method.Name}({string.Join(",", method.GetParameters().Select(p => p.ParameterType.FullName ?? p.ParameterType.Name))})";
}
