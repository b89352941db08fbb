using System.Text.Json;
using System.Text.Json.Serialization;

namespace LxdCompose.Lxd;

/// <summary>The one JSON configuration of the LXD API: snake_case names, nulls left out of requests.</summary>
internal static class LxdJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    public static T Deserialize<T>(JsonElement element, string what)
    {
        try
        {
            return element.Deserialize<T>(Options)
                ?? throw new LxdApiException($"The server sent no {what}.");
        }
        catch (JsonException e)
        {
            throw new LxdApiException($"The server sent a {what} this client cannot read: {e.Message}", e);
        }
    }
}
