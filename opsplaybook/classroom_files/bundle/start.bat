@echo off
rem opsplaybook - start the workshop's JupyterLab (Windows). Double-click, or: start.bat --ui-lang zh
setlocal
chcp 65001 >nul
cd /d "%~dp0workshop"
set "OPSPLAYBOOK_HOME=%CD%\.opsplaybook"
set "OPSPLAYBOOK_DEMO=%CD%\datasets\demo"
.venv\Scripts\opsplaybook.exe lab --notebook-dir "%CD%" %*
pause
