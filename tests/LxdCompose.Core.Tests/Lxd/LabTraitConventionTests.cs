using System.Reflection;
using Xunit;

namespace LxdCompose.Tests.Lxd;

/// <summary>
/// The fast run (`build.ps1 -Task FastTest`) leaves out tests with the trait Category=Lab. A lab test class without
/// the trait would fail there for want of a lab, so every class in the lab collection must carry it.
/// </summary>
public sealed class LabTraitConventionTests
{
    [Fact]
    public void Every_class_in_the_lab_collection_carries_the_Lab_trait()
    {
        var labClasses = typeof(LabTraitConventionTests).Assembly.GetTypes()
            .Where(type => CustomAttributeData.GetCustomAttributes(type).Any(data =>
                    data.AttributeType == typeof(CollectionAttribute)
                    && Equals(data.ConstructorArguments[0].Value, LabCollection.Name)))
            .ToList();
        Assert.NotEmpty(labClasses);

        var untagged = labClasses
            .Where(type => !CustomAttributeData.GetCustomAttributes(type).Any(data =>
                data.AttributeType == typeof(TraitAttribute)
                && Equals(data.ConstructorArguments[0].Value, "Category")
                && Equals(data.ConstructorArguments[1].Value, "Lab")))
            .Select(type => type.FullName)
            .ToList();
        Assert.Empty(untagged);
    }
}
