using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Filters;

namespace ChaosModular.Licensing.Areas.Licensing.Pages;

/// <summary>
/// Refuses a POST whose declared body is over <paramref name="maxBytes"/> before anything reads it (antiforgery reads
/// the whole form first): the browser is sent back to the page with <c>?refused=too-large</c>, which shows the same
/// message as a file found too large when read, instead of a 413 error page. A body without a declared length is
/// stopped by <see cref="RequestSizeLimitAttribute"/> as it is read.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class RefuseLargeUploadAttribute(long maxBytes) : Attribute, IAuthorizationFilter, IOrderedFilter
{
    public const string Refused = "too-large";

    /// <summary>Before the antiforgery check (1000) and the request size limit (900).</summary>
    public int Order => 0;

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        var request = context.HttpContext.Request;
        if (HttpMethods.IsPost(request.Method) && request.ContentLength > maxBytes)
        {
            context.Result = new RedirectResult(request.PathBase + request.Path + "?refused=" + Refused);
        }
    }
}
