using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.SqlServer.Notifications
{
    /// <inheritdoc />
    public partial class EmailAttachmentRenderer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Reference",
                schema: "notifications",
                table: "email_attachments",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Renderer",
                schema: "notifications",
                table: "email_attachments",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Reference",
                schema: "notifications",
                table: "email_attachments");

            migrationBuilder.DropColumn(
                name: "Renderer",
                schema: "notifications",
                table: "email_attachments");
        }
    }
}
