using ChaosModular.E2E.Harness;
using ChaosModular.E2E.Pages;

namespace ChaosModular.E2E.Journeys;

/// <summary>
/// An email as a customer reads it on a phone: the welcome email the Worker sent, opened at 375 px, shows the portal's
/// header, its content and the footer without sideways scrolling, and its button opens the portal's account page.
/// </summary>
public sealed class EmailLayoutJourney(PortalFixture portal, ITestOutputHelper output) : PortalTest(portal, output)
{
    [Fact]
    public Task The_welcome_email_reads_at_phone_width_and_its_button_opens_the_account() => JourneyAsync(async page =>
    {
        var customer = Customer.New("Pia Phone");
        var account = await (await SignUpPage.OpenAsync(page)).CreateAccountAsync(customer, Mailbox);
        var customerNumber = await account.ReadCustomerNumberAsync();
        var welcome = await Mailbox.WaitForAsync(customer.Email, "Welcome to ChaosModular");

        await page.SetViewportSizeAsync(375, 800);
        var email = await EmailView.OpenAsync(page, welcome);

        await Expect(email.Header).ToHaveTextAsync("ChaosModular");
        await Expect(email.Heading).ToHaveTextAsync("Welcome to ChaosModular");
        await Expect(page.GetByText($"Your customer number is {customerNumber}.")).ToBeVisibleAsync();
        await Expect(email.Footer).ToContainTextAsync("You receive this email because you created an account at ChaosModular");
        await Expect(email.Footer.GetByRole(AriaRole.Link, new() { Name = "Support" })).ToBeVisibleAsync();
        Assert.Equal(0, await email.HorizontalOverflowAsync());
        var button = await email.Action("Open your account").BoundingBoxAsync();
        Assert.True(button is { X: >= 0 } && button.X + button.Width <= 375, $"The button is outside the screen: {button?.X} + {button?.Width}");

        await email.Action("Open your account").ClickAsync();
        await new AccountPage(page).ExpectOpenAsync();
        await Expect(account.CustomerNumber).ToHaveValueAsync(customerNumber);
    });
}
