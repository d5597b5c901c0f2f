using Microsoft.Extensions.Options;

namespace ChaosModular.Web;

/// <summary>The <c>Portal</c>, <c>Support</c> and <c>Learning</c> sections: where the portal sends people.</summary>
internal sealed class PortalOptions
{
    public string BaseUrl { get; set; } = "";
    public string HelpCenterUrl { get; set; } = "";
    public List<LearningLink> LearningLinks { get; set; } = [];
}

internal sealed class LearningLink
{
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public string Url { get; set; } = "";
}

internal sealed class PortalOptionsValidator : IValidateOptions<PortalOptions>
{
    public ValidateOptionsResult Validate(string? name, PortalOptions options)
    {
        var failures = new List<string>();
        if (!IsWebUrl(options.BaseUrl))
        {
            failures.Add($"Portal:BaseUrl '{options.BaseUrl}' must be an absolute http(s) URL (the address used in email links).");
        }
        if (!IsWebUrl(options.HelpCenterUrl))
        {
            failures.Add($"Support:HelpCenterUrl '{options.HelpCenterUrl}' must be an absolute http(s) URL.");
        }
        for (var i = 0; i < options.LearningLinks.Count; i++)
        {
            var link = options.LearningLinks[i];
            if (string.IsNullOrWhiteSpace(link.Title) || !IsWebUrl(link.Url))
            {
                failures.Add($"Learning:Links:{i} needs a Title and an absolute http(s) Url (got '{link.Title}', '{link.Url}').");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsWebUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
