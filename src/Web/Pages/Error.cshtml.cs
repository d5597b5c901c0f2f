using ChaosModular.Modules.Infrastructure.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChaosModular.Web.Pages;

/// <summary>Renders status codes (re-executed, so the status is kept) and unhandled errors without internals.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
internal sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "";
    public string Message { get; private set; } = "";

    public void OnGet(int? code) => Describe(code);

    public void OnPost(int? code) => Describe(code);

    /// <summary>How long the rate limit asks the visitor to wait, in words.</summary>
    private string Wait()
    {
        var seconds = HttpContext.Items[FormRateLimits.RetryAfterItem] as int? ?? 60;
        var minutes = (int)Math.Ceiling(seconds / 60.0);
        return minutes <= 1 ? "a minute" : $"{minutes} minutes";
    }

    private void Describe(int? code)
    {
        (Title, Message) = code switch
        {
            400 => ("Bad request", "The form could not be accepted. It may have expired: go back, reload the page and try again."),
            403 => ("Access denied", "Your account does not have permission to open this page."),
            404 => ("Page not found", "The page does not exist, or it is not yours to see."),
            429 => ("Too many attempts", $"For your account's safety this form accepts only a few attempts at a time. Please try again in {Wait()}."),
            _ => ("Something went wrong", "The request could not be completed. Please try again in a moment."),
        };
    }
}
