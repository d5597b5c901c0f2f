using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.PostgreSql.Licensing
{
    /// <inheritdoc />
    public partial class LicenseKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "KeyForVersionsBefore",
                schema: "licensing",
                table: "licenses",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LicenseKey",
                schema: "licensing",
                table: "licenses",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_licenses_LicenseKey",
                schema: "licensing",
                table: "licenses",
                column: "LicenseKey",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_licenses_LicenseKey",
                schema: "licensing",
                table: "licenses");

            migrationBuilder.DropColumn(
                name: "KeyForVersionsBefore",
                schema: "licensing",
                table: "licenses");

            migrationBuilder.DropColumn(
                name: "LicenseKey",
                schema: "licensing",
                table: "licenses");
        }
    }
}
