; e访通 counter client — Windows installer (NSIS 3, Unicode, Simplified Chinese UI).
;
; Installs the PyInstaller one-folder bundle (efangtong.exe + _internal\) into Program Files, with Start-menu and
; desktop shortcuts, an uninstaller and an entry in 应用和功能 / 程序和功能 (Add/Remove Programs).
; The user's local replica (%LOCALAPPDATA%\efangtong) is NOT removed on uninstall: it may hold unsynced petitions.
;
; Build:   makensis [-DDIST_DIR=dist\efangtong] [-DOUTFILE=efangtong-setup.exe] [-DVERSION=0.1.0] installer.nsi

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "WinVer.nsh"
!include "x64.nsh"

; ---- build-time parameters ---------------------------------------------------------------------------------------

!ifndef DIST_DIR
  !define DIST_DIR "dist\efangtong"
!endif
!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef OUTFILE
  !define OUTFILE "efangtong-setup-${VERSION}.exe"
!endif

!define APP_ID "efangtong"
!define APP_NAME "e访通"
!define APP_EXE "efangtong.exe"
!define PUBLISHER "伊金霍洛旗信访局"
!define PRODUCT_NAME "${APP_NAME} 柜台客户端"
!define START_MENU_DIR "$SMPROGRAMS\${APP_NAME}"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define SETTINGS_KEY "Software\${APP_ID}"

; Fail the build early, with a clear message, when the bundle is not where it should be.
!if /FileExists "${DIST_DIR}\${APP_EXE}"
!else
  !error "找不到 ${DIST_DIR}\${APP_EXE}：请先用 PyInstaller 生成客户端程序目录，或用 -DDIST_DIR=... 指定它"
!endif

Name "${PRODUCT_NAME}"
Caption "${PRODUCT_NAME} ${VERSION} 安装程序"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APP_ID}"
InstallDirRegKey HKLM "${SETTINGS_KEY}" "InstallDir"
RequestExecutionLevel admin
BrandingText "${PUBLISHER}"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${PRODUCT_NAME}"
VIAddVersionKey /LANG=2052 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "FileDescription" "${PRODUCT_NAME} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "${PUBLISHER}"

; ---- pages ---------------------------------------------------------------------------------------------------------

!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TITLE "欢迎安装 ${PRODUCT_NAME}"
!define MUI_WELCOMEPAGE_TEXT "本程序将在这台电脑上安装 ${PRODUCT_NAME} ${VERSION}。$\r$\n$\r$\n${APP_NAME}是${PUBLISHER}的信访信息系统，用于信访登记、查询、办理、预约接访和综合研判。$\r$\n$\r$\n点击“下一步”继续。"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "立即运行 ${APP_NAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"

; ---- checks --------------------------------------------------------------------------------------------------------

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "${APP_NAME}需要 64 位 Windows 10 或更新版本。"
    Abort
  ${EndIf}
  ${IfNot} ${AtLeastWin10}
    MessageBox MB_OK|MB_ICONSTOP "${APP_NAME}需要 Windows 10 或更新版本。"
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

; ---- install -------------------------------------------------------------------------------------------------------

Section "${APP_NAME}（必需）" SecMain
  SectionIn RO
  SetShellVarContext all

  SetOutPath "$INSTDIR"
  File /r "${DIST_DIR}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "${START_MENU_DIR}"
  CreateShortcut "${START_MENU_DIR}\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
  CreateShortcut "${START_MENU_DIR}\卸载 ${APP_NAME}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0

  WriteRegStr HKLM "${SETTINGS_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT_NAME}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

; ---- uninstall -----------------------------------------------------------------------------------------------------

Section "Uninstall"
  SetShellVarContext all

  Delete "$DESKTOP\${APP_NAME}.lnk"
  Delete "${START_MENU_DIR}\${APP_NAME}.lnk"
  Delete "${START_MENU_DIR}\卸载 ${APP_NAME}.lnk"
  RMDir "${START_MENU_DIR}"

  ; Only what the installer put there (PyInstaller's one-folder layout), never a recursive delete of $INSTDIR itself:
  ; the user may have chosen a folder that holds other files.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DeleteRegKey HKLM "${SETTINGS_KEY}"
SectionEnd
