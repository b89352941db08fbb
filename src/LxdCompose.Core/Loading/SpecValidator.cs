using LxdCompose.Specs;

namespace LxdCompose.Loading;

/// <summary>lxd-compose's <c>validate</c> rules, applied to every environment, plus name and reference checks.</summary>
public static class SpecValidator
{
    public static IReadOnlyList<SpecDiagnostic> Validate(SpecSet specs) => throw new NotImplementedException("in progress");
}
