using Microsoft.AspNetCore.Components;

namespace ChaosModular.Notifications.Templates;

/// <summary>
/// The base of every email's component (<c>Templates/Emails/*.razor</c>): the message it renders and the links it
/// points to. Razor makes components public, and a public component cannot take an internal message type as a
/// parameter, so each one takes the message as <see cref="EmailMessage"/> and reads it as its own kind.
/// </summary>
public abstract class EmailBody : ComponentBase
{
    [Parameter, EditorRequired]
    public EmailMessage Message { get; set; } = default!;

    [Parameter, EditorRequired]
    public EmailLinks Links { get; set; } = default!;
}

/// <summary>Absolute links into the portal (<c>Portal:BaseUrl</c>) and to the Help Center (<c>Support:HelpCenterUrl</c>).</summary>
public sealed class EmailLinks(string portalBaseUrl, string supportUrl)
{
    private readonly string _portal = portalBaseUrl.TrimEnd('/');

    /// <summary>The portal's home page.</summary>
    public string Home => _portal + "/";

    public string Support { get; } = supportUrl;

    public string Account => Portal(ChaosModular.Accounts.Contracts.AccountsRoutes.Account);

    /// <summary>A portal page from its typed route (<c>BillingRoutes.Invoices</c>).</summary>
    public string Portal(string path) => _portal + path;
}
