using Microsoft.Extensions.Options;

namespace ChaosModular.Licensing;

/// <summary>The <c>Licensing</c> section.</summary>
public sealed class LicensingOptions
{
    public const string Section = "Licensing";

    /// <summary>The vendor's article on setting up the License Server application, linked from the Licensing pages.</summary>
    public string ServerSetupUrl { get; set; } = "https://docs.chaos.com/display/LIC5/Setting+up+a+License+Server";

    public SigningOptions Signing { get; set; } = new();
    public FileOptions Files { get; set; } = new();
    public ApiOptions Api { get; set; } = new();

    /// <summary>Borrowing when the catalog names no maximum for the product.</summary>
    public int DefaultMaxBorrowDays { get; set; } = 7;

    /// <summary><c>Licensing:Signing</c>: the keys that sign response and borrow files.</summary>
    public sealed class SigningOptions
    {
        /// <summary>PEM files: <c>&lt;key id&gt;.pem</c> (private) and <c>&lt;key id&gt;.pub.pem</c> (retired, verify only). Relative to the content root.</summary>
        public string KeyDirectory { get; set; } = "App_Data/licensing-keys";

        /// <summary>The signing key; empty: the private key with the greatest id.</summary>
        public string? ActiveKeyId { get; set; }

        /// <summary>Make a key on first start when there is none; null: only in Development (and the tests' Testing).</summary>
        public bool? GenerateIfMissing { get; set; }

        /// <summary>Keys given as PEM text (a secret store, environment variables).</summary>
        public List<ConfiguredKey> Keys { get; set; } = [];
    }

    public sealed class ConfiguredKey
    {
        public string Id { get; set; } = "";
        public string? PrivateKeyPem { get; set; }
        public string? PublicKeyPem { get; set; }
    }

    /// <summary><c>Licensing:Files</c>: activation request and response files.</summary>
    public sealed class FileOptions
    {
        public int RequestMaxAgeDays { get; set; } = 7;
        public int ResponseValidDays { get; set; } = 30;
        public int MaxRequestBytes { get; set; } = 64 * 1024;
    }

    /// <summary><c>Licensing:Api</c>: the online API for license servers.</summary>
    public sealed class ApiOptions
    {
        public int LeaseTtlSeconds { get; set; } = 600;
        public int HeartbeatSeconds { get; set; } = 120;
        public int ActivationCodeHours { get; set; } = 24;

        /// <summary>Calls per minute a server may make (per address for activation).</summary>
        public int RequestsPerMinute { get; set; } = 120;
        public int ActivationsPerMinute { get; set; } = 10;
    }
}

internal sealed class LicensingOptionsValidator : IValidateOptions<LicensingOptions>
{
    public ValidateOptionsResult Validate(string? name, LicensingOptions options)
    {
        var failures = new List<string>();
        if (!(Uri.TryCreate(options.ServerSetupUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)))
        {
            failures.Add($"Licensing:ServerSetupUrl must be an absolute http(s) address, not '{options.ServerSetupUrl}'.");
        }
        if (options.DefaultMaxBorrowDays is < 1 or > 365)
        {
            failures.Add("Licensing:DefaultMaxBorrowDays must be 1–365.");
        }
        if (options.Files.RequestMaxAgeDays < 1 || options.Files.ResponseValidDays is < 1 or > 366 || options.Files.MaxRequestBytes is < 1024 or > 1024 * 1024)
        {
            failures.Add("Licensing:Files: RequestMaxAgeDays ≥ 1, ResponseValidDays 1–366, MaxRequestBytes 1 KB–1 MB.");
        }
        if (options.Api.LeaseTtlSeconds < 30 || options.Api.HeartbeatSeconds < 5 || options.Api.HeartbeatSeconds >= options.Api.LeaseTtlSeconds
            || options.Api.ActivationCodeHours < 1 || options.Api.RequestsPerMinute < 1 || options.Api.ActivationsPerMinute < 1)
        {
            failures.Add("Licensing:Api: LeaseTtlSeconds ≥ 30, HeartbeatSeconds ≥ 5 and below the TTL, ActivationCodeHours ≥ 1, rate limits ≥ 1.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
