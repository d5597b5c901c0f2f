using System.Text.Encodings.Web;
using System.Text.Json;

namespace ChaosModular.Tools.LicenseServer;

/// <summary>The JSON rules of the spec: camelCase members, unknown members ignored, required members present and not null.</summary>
internal static class Json
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    /// <summary>A time as the spec writes it: UTC, ISO 8601, whole seconds, with a <c>Z</c>.</summary>
    public static string Time(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static string Date(DateOnly value) =>
        value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
