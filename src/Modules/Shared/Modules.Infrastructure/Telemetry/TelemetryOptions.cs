namespace ChaosModular.Modules.Infrastructure.Telemetry;

/// <summary>
/// <c>Telemetry:*</c>. With no <see cref="OtlpSettings.Endpoint"/> nothing is exported and no OpenTelemetry
/// provider is built at all: no listeners, no export threads.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public OtlpSettings Otlp { get; set; } = new();

    /// <summary>The resource's <c>service.name</c> prefix; the host role is appended (<c>ChaosModular.Web</c>).</summary>
    public string ServiceName { get; set; } = "ChaosModular";
}

public sealed class OtlpSettings
{
    /// <summary>The collector, e.g. <c>http://otel-collector:4317</c> (gRPC) or <c>http://otel-collector:4318</c> (HTTP).</summary>
    public string? Endpoint { get; set; }

    /// <summary><c>Grpc</c> (the default) or <c>HttpProtobuf</c>.</summary>
    public string Protocol { get; set; } = "Grpc";

    /// <summary>Extra headers as <c>key=value,key2=value2</c> (a collector's API key).</summary>
    public string? Headers { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Endpoint);
}
